"""Everything a request handler of the dev IdP needs, built once per app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from services.common.clock import Clock
from services.dev_idp.keys import SigningKey
from services.dev_idp.realm import Realm
from services.dev_idp.sessions import SessionStore
from services.dev_idp.tokens import TokenMinter


@dataclass(frozen=True)
class Idp:
    """The realm, its key and minter, live sessions and the clock."""

    realm: Realm
    key: SigningKey
    minter: TokenMinter
    sessions: SessionStore
    clock: Clock

    @property
    def issuer(self) -> str:
        return self.minter.issuer

    @property
    def endpoints(self) -> str:
        return f"{self.issuer}/protocol/openid-connect"

    def now(self) -> datetime:
        return self.clock.now()


IDP = web.AppKey("idp", Idp)


def idp_of(request: web.Request) -> Idp:
    return request.app[IDP]
