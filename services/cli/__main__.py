"""`python -m services.cli` is the `nlc` command."""

from services.cli import app

app()
