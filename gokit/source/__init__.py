"""The source floor: the learner's program as plain data, the Go toolchain, gokit's Go helper, and the one resolved package per (source, toolchain, target) every stage is handed."""
