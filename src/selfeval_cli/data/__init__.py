"""Reading and checking a data file: YAML with line marks → model → cross-checks."""
