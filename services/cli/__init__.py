"""The `nlc` command: `nlc up` starts the platform, `nlc serve <service>` runs one service,
`nlc doctor` checks an installation."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from services.cli.catalog import SERVICES

app = typer.Typer(help="NLC platform", no_args_is_help=True, add_completion=False)


@app.command()
def up(
    no_demo: Annotated[bool, typer.Option("--no-demo", help="Do not seed the demo data.")] = False,
    postgres: Annotated[str, typer.Option(help="PostgreSQL URL instead of SQLite files.")] = "",
    nats: Annotated[str, typer.Option(help="NATS URL instead of the embedded nats-server.")] = "",
    oidc_issuer: Annotated[
        str, typer.Option(help="Keycloak realm URL instead of the dev IdP.")
    ] = "",
) -> None:
    """Start nats-server, the dev identity provider and every service; stop them on Ctrl-C."""
    from services.cli.up import UpOptions, run_up

    options = UpOptions(demo=not no_demo, postgres=postgres, nats=nats, oidc_issuer=oidc_issuer)
    raise typer.Exit(run_up(options))


@app.command()
def serve(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICES)}")],
    demo: Annotated[bool, typer.Option("--demo", help="Seed the demo data if absent.")] = False,
) -> None:
    """Run one service until SIGTERM (what a container runs)."""
    from services.cli.serve import serve_forever

    if service not in SERVICES:
        typer.echo(
            f"error: unknown service '{service}'; choose one of {', '.join(SERVICES)}", err=True
        )
        raise typer.Exit(2)
    raise typer.Exit(asyncio.run(serve_forever(service, demo=demo)))


@app.command()
def migrate() -> None:
    """Apply every service's database migrations, then exit."""
    from services.cli.serve import migrate_all

    raise typer.Exit(asyncio.run(migrate_all()))


@app.command()
def doctor(
    grpc: Annotated[
        bool,
        typer.Option(
            "--grpc/--no-grpc", help="Check each service's health at NLC_HOST:NLC_<SERVICE>_PORT."
        ),
    ] = True,
    max_lag: Annotated[
        int, typer.Option(help="Fail a consumer with more events than this not yet acknowledged.")
    ] = 1000,
) -> None:
    """Check the databases, NATS JetStream (streams, consumer lag), the identity provider and
    the services; exit 1 when any check fails."""
    from services.cli.doctor import run_doctor
    from services.common.config import load_settings

    raise typer.Exit(asyncio.run(run_doctor(load_settings(), grpc=grpc, max_lag=max_lag)))


@app.command()
def idp() -> None:
    """Run the embedded Keycloak-compatible identity provider."""
    from services.dev_idp.__main__ import main

    sys.exit(main())
