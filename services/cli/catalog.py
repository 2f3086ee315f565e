"""Which services exist and how to load each one's specification."""

from __future__ import annotations

from importlib import import_module

from services.common.app import ServiceSpec

SERVICES: dict[str, str] = {
    "registry": "services.registry.service:SPEC",
    "grants": "services.grants.service:SPEC",
    "reporting": "services.reporting.service:SPEC",
    "infoshare": "services.infoshare.service:SPEC",
}


def load_spec(service: str) -> ServiceSpec:
    """Import a service's ServiceSpec by name."""
    module_name, attr = SERVICES[service].split(":")
    return getattr(import_module(module_name), attr)
