"""What every registry RPC module shares: method names, reads, use cases and list replies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from services.common.auth import current_principal
from services.common.uow import UnitOfWork
from services.registry.deps import RegistryDeps

T = TypeVar("T")
PREFIX = "/nlc.registry.v1.RegistryService/"


def policies(methods: Iterable[str], roles: Any) -> dict[str, Any]:
    """The access policy roles for each of methods, keyed by full method name."""
    return {PREFIX + m: roles for m in methods}


class RegistryApi:
    """Base of the per-aggregate servicer mixins."""

    deps: RegistryDeps

    async def read(self, query: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """query(session, *args, **kwargs) in a read session of its own."""
        async with self.deps.sessions() as session:
            return await query(session, *args, **kwargs)

    async def run(self, handler: Callable[[UnitOfWork, Any], Awaitable[T]], cmd: Any) -> T:
        """A use case run for the current caller in a unit of work."""
        return await handler(self.deps.uow(current_principal()), cmd)
