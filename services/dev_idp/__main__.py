"""`python -m services.dev_idp`: serve the dev IdP where the settings say it lives."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

from services.common.config import load_settings
from services.dev_idp.app import default_realm_file, start
from services.dev_idp.state import IDP


async def serve() -> None:
    """Run until cancelled; NLC_REALM_FILE overrides the repository's realm file and
    NLC_DEMO_USERS_FILE the demo users beside it."""
    settings = load_settings()
    realm_file = Path(os.environ.get("NLC_REALM_FILE") or default_realm_file())
    demo_users = os.environ.get("NLC_DEMO_USERS_FILE")
    runner, base_url = await start(
        settings.host,
        settings.idp_port,
        realm_file=realm_file,
        data_dir=settings.home.resolve(),
        demo_users_file=Path(demo_users) if demo_users else None,
    )
    print(f"dev IdP issuer {runner.app[IDP].issuer} (base URL {base_url})", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()
