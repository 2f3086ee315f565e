"""Pure registry rules: entities, value objects and state machines (no I/O)."""
