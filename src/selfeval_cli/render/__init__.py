"""Templates → markup → blocks: what the report says, in order, without layout."""
