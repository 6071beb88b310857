"""gokit's faces besides the public table: the command-line views, %%go, export, check, doctor."""
