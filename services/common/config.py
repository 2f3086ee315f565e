"""Settings from `NLC_` environment variables, with embedded defaults for a fresh machine."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_PORTS = {"registry": 50051, "grants": 50052, "reporting": 50053, "infoshare": 50054}
METRICS_PORTS = {"registry": 9451, "grants": 9452, "reporting": 9453, "infoshare": 9454}


class Settings(BaseSettings):
    """Everything a process of the platform needs to know about where things are."""

    model_config = SettingsConfigDict(env_prefix="NLC_", extra="ignore")

    home: Path = Path(".nlc")
    host: str = "127.0.0.1"
    # Empty means the embedded default: one SQLite file per service under $NLC_HOME/db.
    database_url: str = ""
    nats_url: str = "nats://127.0.0.1:14222"
    nats_port: int = 14222
    idp_port: int = 8180
    oidc_issuer: str = ""
    oidc_audience: str = "nlc-api"
    # Seconds of clock skew tolerated when checking token expiry.
    token_leeway_s: int = 30
    registry_port: int = SERVICE_PORTS["registry"]
    grants_port: int = SERVICE_PORTS["grants"]
    reporting_port: int = SERVICE_PORTS["reporting"]
    infoshare_port: int = SERVICE_PORTS["infoshare"]
    ui_port: int = 8501
    # Deliveries of one event before a consumer gives up and dead-letters it.
    max_deliveries: int = 5
    log_json: bool | None = None
    # Base64 of the 32-byte infoshare key-encryption key; empty: generated under $NLC_HOME/keys.
    # A SecretStr, so a repr of the settings never shows it.
    infoshare_kek: SecretStr = SecretStr("")
    # Where clients (the UI, `nlc doctor`) reach each service; empty: host:port on this machine.
    registry_address: str = ""
    grants_address: str = ""
    reporting_address: str = ""
    infoshare_address: str = ""
    # JetStream replicas of each service's stream: 1 for one nats-server, 3 for a cluster (R3).
    stream_replicas: int = 1
    # Prometheus metrics over HTTP, one port per service.
    metrics: bool = True
    registry_metrics_port: int = METRICS_PORTS["registry"]
    grants_metrics_port: int = METRICS_PORTS["grants"]
    reporting_metrics_port: int = METRICS_PORTS["reporting"]
    infoshare_metrics_port: int = METRICS_PORTS["infoshare"]
    # TLS for gRPC: the server's certificate and key (PEM files); clients trust grpc_tls_ca.
    # All empty: plaintext on loopback, as in the embedded default.
    grpc_tls_cert: str = ""
    grpc_tls_key: str = ""
    grpc_tls_ca: str = ""
    # TLS for NATS: the CA to trust, and a client certificate and key where the cluster asks.
    nats_tls_ca: str = ""
    nats_tls_cert: str = ""
    nats_tls_key: str = ""

    @cached_property
    def issuer(self) -> str:
        """The OIDC issuer: configured, or the embedded dev IdP's realm URL."""
        return self.oidc_issuer or f"http://{self.host}:{self.idp_port}/realms/nlc"

    def service_port(self, service: str) -> int:
        return int(getattr(self, f"{service}_port"))

    def service_address(self, service: str) -> str:
        """host:port a client dials for service: configured, or this host's service port."""
        configured = str(getattr(self, f"{service}_address"))
        return configured or f"{self.host}:{self.service_port(service)}"

    def metrics_port(self, service: str) -> int:
        return int(getattr(self, f"{service}_metrics_port"))

    def service_database_url(self, service: str) -> str:
        """One service's database: shared PostgreSQL (own schema) or its own SQLite file."""
        if self.database_url:
            return self.database_url
        db_dir = self.home.resolve() / "db"
        return f"sqlite+aiosqlite:///{db_dir / f'{service}.db'}"


def load_settings(**overrides: object) -> Settings:
    """Read the environment, then apply explicit overrides (used by the CLI and tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
