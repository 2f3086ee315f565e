"""Alembic environment of the sample service used by the kit's tests."""

from services.common.migrations import run_env

run_env()
