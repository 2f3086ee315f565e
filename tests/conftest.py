"""Shared fixtures: a real nats-server, SQLite/PostgreSQL databases, tokens from the dev IdP."""

pytest_plugins = [
    "tests.support.nats",
    "tests.support.databases",
    "tests.support.tokens",
    "tests.support.services",
]
