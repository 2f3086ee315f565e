"""Pure reporting rules: action plans, cycles, obligations, progress reports (no I/O)."""
