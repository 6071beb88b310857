"""Pure parsers: the toolchain's text in, frozen dataclasses out; no process, no view."""
