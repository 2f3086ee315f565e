"""`nlc doctor`: each service's database reachable and its schema at the newest migration."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from services.cli.catalog import load_spec
from services.cli.doctor_checks import Check, reason
from services.common.config import Settings
from services.common.db import create_engine
from services.common.kit_tables import dead_letter


def _no_sqlite_file(url: str) -> str | None:
    """The SQLite file url names when it does not exist (doctor must not create it)."""
    parsed = make_url(url)
    missing = parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file()
    return parsed.database if missing else None


def _heads(migrations: Path) -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(migrations))
    return set(ScriptDirectory.from_config(config).get_heads())


async def _revisions(url: str, service: str) -> tuple[set[str], int]:
    """The schema's applied revisions and its number of dead letters."""
    engine = create_engine(url, schema=service)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
            applied = {row[0] for row in rows}
            dead = await conn.scalar(select(func.count()).select_from(dead_letter))
    finally:
        await engine.dispose()
    return applied, int(dead or 0)


async def check_database(settings: Settings, service: str, timeout_s: float) -> Check:
    """Whether service's schema answers and carries every head revision of its migrations."""
    part = f"database {service}"
    url = settings.service_database_url(service)
    if missing := _no_sqlite_file(url):
        return Check(part, False, f"no database file {missing}; run `nlc migrate`")
    heads = _heads(load_spec(service).migrations)
    try:
        applied, dead = await asyncio.wait_for(_revisions(url, service), timeout_s)
    except TimeoutError:
        return Check(part, False, f"no answer within {timeout_s:.0f} s")
    except Exception as error:
        return Check(part, False, f"{reason(error)} (not reachable, or not migrated)")
    if applied != heads:
        have, want = ", ".join(sorted(applied)) or "nothing", ", ".join(sorted(heads))
        return Check(part, False, f"at {have}, newest is {want}; run `nlc migrate`")
    where = make_url(url).render_as_string(hide_password=True)
    return Check(part, True, f"at {', '.join(sorted(heads))} ({where}); {dead} dead letters")
