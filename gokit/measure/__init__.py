"""How gokit measures: the timer, the statistics of samples, the result, its plots and fits (gokit.bench is the face)."""
