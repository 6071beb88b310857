"""The lessons' experiments that measure with statistics (they import stages and gokit.bench)."""
