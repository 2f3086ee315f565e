"""`make lint` checks deploy/ offline: valid files pass, and each broken one is named."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
VALIDATE = REPO / "scripts" / "validate_deploy.py"


def _validate(deploy: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(VALIDATE), str(deploy)], capture_output=True, text=True, check=False
    )


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_deploy_files_pass_and_each_broken_one_is_named(tmp_path: Path) -> None:
    deploy = tmp_path / "deploy"
    shutil.copytree(REPO / "deploy", deploy)
    assert _validate(deploy).returncode == 0

    _edit(deploy / "compose.yaml", '    command: ["nlc", "migrate"]', "    comand: [nlc]")
    _edit(deploy / "k8s" / "grants.yaml", "replicas: 2", "replicas: two")
    shutil.copy(deploy / "k8s" / "ui.yaml", deploy / "k8s" / "forgotten.yaml")
    _edit(deploy / "nats" / "server.conf", "sync_interval: always", "sync_interval: often")
    failed = _validate(deploy)

    assert failed.returncode == 1
    assert "compose.yaml::$.services.migrate" in failed.stderr and "comand" in failed.stderr
    assert "grants.yaml did not validate for resource deployment/grants" in failed.stderr
    assert "kustomization.yaml: does not list forgotten.yaml" in failed.stderr
    assert "nats-tls.conf: nats-server rejects it" in failed.stderr
    assert 'invalid duration "often"' in failed.stderr
