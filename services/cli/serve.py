"""`nlc serve <service>` and `nlc migrate`: one service in the foreground, until SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys

from services.cli.catalog import SERVICES, load_spec
from services.common.app import start_service
from services.common.config import load_settings
from services.common.db import create_engine
from services.common.logging import configure_logging
from services.common.migrations import MigrationError, upgrade


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr, flush=True)
    return 1


async def serve_forever(service: str, *, demo: bool) -> int:
    """Serve until SIGINT/SIGTERM, then stop gracefully; on failure, one clear line and 1."""
    settings = load_settings()
    configure_logging(settings.log_json)
    spec = load_spec(service)
    try:
        running = await start_service(spec, settings, demo=demo)
    except MigrationError as error:
        return _fail(f"{service}: migration failed: {error}")
    except (OSError, RuntimeError, ValueError) as error:
        return _fail(f"{service}: {error}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await running.stop()
    return 0


async def migrate_all() -> int:
    """Apply every service's migrations to its database and exit."""
    settings = load_settings()
    for service in SERVICES:
        spec = load_spec(service)
        engine = create_engine(settings.service_database_url(service), schema=service)
        try:
            await upgrade(engine, spec.migrations, schema=service)
        except MigrationError as error:
            return _fail(f"{service}: migration failed: {error}")
        finally:
            await engine.dispose()
        print(f"{service}: migrations applied", flush=True)
    return 0
