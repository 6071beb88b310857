"""Interactive explorers (ipywidgets), one per view; their data comes from plain functions elsewhere."""
