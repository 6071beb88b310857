"""The lessons' experiments that measure with statistics (they import stages, gokit/measure and the lesson helpers)."""
