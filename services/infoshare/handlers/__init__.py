"""Infoshare use cases: one async function per command, each inside one unit of work."""
