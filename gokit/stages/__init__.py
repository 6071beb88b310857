"""One module per stage: take the resolved package, call one layer, parse, cache, return models."""
