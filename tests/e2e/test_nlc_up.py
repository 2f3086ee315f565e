"""`nlc up` as a user runs it: starts, logs in with python-keycloak, keeps data, stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest

from nlc.registry.v1 import (
    jurisdictions_pb2,
    organisations_pb2,
    registry_pb2_grpc,
)
from tests.e2e.platform import Platform, access_token, bearer

CITY_HALL_ID = "0b1c7a52-0000-4000-8000-000000000002"


def _registry(platform: Platform) -> tuple[grpc.Channel, registry_pb2_grpc.RegistryServiceStub]:
    channel = grpc.insecure_channel(platform.registry_target)
    return channel, registry_pb2_grpc.RegistryServiceStub(channel)


def _pid_alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def test_ready_output_names_every_part_and_the_demo_logins(platform: Platform) -> None:
    text = "\n".join(platform.lines)
    for target in (platform.registry_target, platform.grants_target, platform.reporting_target):
        assert f"grpc://{target}" in text
    assert f"http://127.0.0.1:{platform.env['NLC_IDP_PORT']}/realms/nlc" in text
    assert "Demo logins" in text and "city" in text
    assert platform.lines[-1] == "NLC platform ready"


def test_city_officer_logs_in_and_reads_the_demo_registry(platform: Platform) -> None:
    token = access_token(platform, "city")
    channel, registry = _registry(platform)
    with channel:
        own = registry.GetOrganisation(
            organisations_pb2.GetOrganisationRequest(name=f"organisations/{CITY_HALL_ID}"),
            metadata=bearer(token),
            timeout=10,
        )
        listed = registry.ListOrganisations(
            organisations_pb2.ListOrganisationsRequest(page_size=100),
            metadata=bearer(token),
            timeout=10,
        )
    assert own.display_name == "Riverton City Hall"
    assert own.verification_state == organisations_pb2.VERIFICATION_STATE_VERIFIED
    assert len(listed.organisations) >= 8


def test_a_call_without_a_token_is_refused(platform: Platform) -> None:
    channel, registry = _registry(platform)
    with channel, pytest.raises(grpc.RpcError) as refused:
        registry.ListOrganisations(organisations_pb2.ListOrganisationsRequest(), timeout=10)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_second_up_keeps_data_and_stop_leaves_no_process(platform: Platform) -> None:
    token = access_token(platform, "admin")
    channel, registry = _registry(platform)
    with channel:
        country = registry.ListJurisdictions(
            jurisdictions_pb2.ListJurisdictionsRequest(
                level=jurisdictions_pb2.JURISDICTION_LEVEL_COUNTRY
            ),
            metadata=bearer(token),
            timeout=10,
        ).jurisdictions[0]
        created = registry.CreateJurisdiction(
            jurisdictions_pb2.CreateJurisdictionRequest(
                jurisdiction=jurisdictions_pb2.Jurisdiction(
                    code="E2E-REGION",
                    display_name="Region made by the end-to-end test",
                    level=jurisdictions_pb2.JURISDICTION_LEVEL_REGION,
                    parent=country.name,
                )
            ),
            metadata=bearer(token),
            timeout=10,
        )

    children = platform.child_pids()
    assert children, "nlc up should supervise child processes"
    started = time.monotonic()
    assert platform.stop(signal.SIGTERM, deadline_s=10) == 0
    assert time.monotonic() - started < 10
    assert not [pid for pid in children if _pid_alive(pid)]
    assert platform.lines[-1] == "NLC platform stopped"

    platform.start()
    platform.wait_ready()
    token = access_token(platform, "admin")
    channel, registry = _registry(platform)
    with channel:
        again = registry.GetJurisdiction(
            jurisdictions_pb2.GetJurisdictionRequest(name=created.name),
            metadata=bearer(token),
            timeout=10,
        )
    assert again.code == "E2E-REGION"


def test_a_port_in_use_is_one_clear_line_and_a_failure(tmp_path: Path) -> None:
    platform = Platform.new(tmp_path / "home")
    port = int(platform.env["NLC_REGISTRY_PORT"])
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        result = subprocess.run(
            [sys.executable, "-m", "services.cli", "up"],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: port {port} on 127.0.0.1 is already in use; needed for registry gRPC "
        "(NLC_REGISTRY_PORT)"
    ]


def test_a_missing_nats_binary_is_one_clear_line(tmp_path: Path) -> None:
    platform = Platform.new(tmp_path / "home")
    bare_bin = tmp_path / "bin"
    bare_bin.mkdir()
    python = bare_bin / "python"
    python.symlink_to(Path(sys.executable).resolve())
    env = {**platform.env, "PATH": str(bare_bin), "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [str(python), "-m", "services.cli", "up"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: nats-server binary not found")
