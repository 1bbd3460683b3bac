"""The workflows the CLI drives: build, batches, watch, new-year."""
