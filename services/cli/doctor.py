"""`nlc doctor`: whether this installation reaches its databases, NATS JetStream and identity
provider, how far behind its consumers are, and whether each service answers its health check.

One line per check, OK or FAIL with the detail; exit code 0 only when every check passed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import aiohttp

from services.cli.catalog import SERVICES
from services.cli.doctor_checks import Check, reason
from services.cli.doctor_db import check_database
from services.cli.doctor_nats import check_nats
from services.cli.readiness import grpc_serving
from services.common.config import Settings
from services.common.tls import channel_credentials

TIMEOUT_S = 3.0
DEFAULT_MAX_LAG = 1000


async def _json(http: aiohttp.ClientSession, url: str) -> dict:
    async with http.get(url) as response:
        response.raise_for_status()
        return await response.json()


async def check_idp(settings: Settings, timeout_s: float) -> Check:
    """OIDC discovery of the issuer the services trust, and its signing keys (JWKS)."""
    part, issuer = "identity provider", settings.issuer
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout_s)) as http:
            discovery = await _json(http, f"{issuer}/.well-known/openid-configuration")
            keys = (await _json(http, discovery["jwks_uri"])).get("keys", [])
    except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as error:
        return Check(part, False, f"{issuer}: {reason(error)}")
    if discovery.get("issuer") != issuer:
        return Check(part, False, f"{issuer} calls itself {discovery.get('issuer')!r}")
    if not keys:
        return Check(part, False, f"{issuer} publishes no signing keys")
    return Check(part, True, f"{issuer} ({len(keys)} signing keys)")


async def check_grpc(settings: Settings, service: str, timeout_s: float) -> Check:
    """The service's gRPC health check at NLC_HOST:NLC_<SERVICE>_PORT, over TLS when configured."""
    target = settings.service_address(service)
    part = f"service {service}"
    try:
        credentials = channel_credentials(settings)
        serving = await asyncio.wait_for(grpc_serving(target, credentials), timeout_s)
    except (OSError, TimeoutError) as error:
        return Check(part, False, f"{target}: {reason(error)}")
    how = "TLS" if credentials else "plaintext"
    state = "SERVING" if serving else "not reachable or not serving"
    return Check(part, serving, f"{target} ({how}) {state}")


async def run_doctor(
    settings: Settings,
    *,
    grpc: bool = True,
    max_lag: int = DEFAULT_MAX_LAG,
    echo: Callable[[str], None] = lambda line: print(line, flush=True),
    timeout_s: float = TIMEOUT_S,
) -> int:
    """Run every check, printing a line for each as it completes; 0 when all passed, else 1."""
    checks: list[Check] = []

    def report(found: list[Check]) -> None:
        checks.extend(found)
        for check in found:
            echo(check.line())

    report(list(await asyncio.gather(*(check_database(settings, s, timeout_s) for s in SERVICES))))
    report(await check_nats(settings, SERVICES, timeout_s=timeout_s, max_lag=max_lag))
    report([await check_idp(settings, timeout_s)])
    if grpc:
        report(list(await asyncio.gather(*(check_grpc(settings, s, timeout_s) for s in SERVICES))))
    failed = sum(not check.ok for check in checks)
    echo(f"{len(checks) - failed} of {len(checks)} checks passed")
    return 1 if failed else 0
