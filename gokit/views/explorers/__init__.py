"""Kernel-free explorers: one browser front end (an ES module) per explorer, fed data built from a model."""
