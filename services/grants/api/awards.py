"""RPCs of awards: decisions, signing, tranches, the pool's ledger and the 360Giving export."""

from __future__ import annotations

from typing import Any

from nlc.grants.v1 import awards_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.errors import invalid
from services.common.field_parser import FieldParser
from services.common.resource_names import parse_name, parse_optional_name
from services.grants.convert import awards as convert
from services.grants.deps import GrantsDeps
from services.grants.handlers import awards as handlers
from services.grants.queries import awards as queries

_PREFIX = "/nlc.grants.v1.GrantsService/"
_MANAGERS = frozenset({Role.GRANT_MANAGER, Role.PLATFORM_ADMIN})
_MONEY_READERS = _MANAGERS | {Role.AUDITOR, Role.FUNDER}
POLICIES: dict[str, Any] = {
    _PREFIX + "DecideAwards": _MANAGERS,
    _PREFIX + "SignAward": _MANAGERS,
    _PREFIX + "ReleaseTranche": _MANAGERS,
    _PREFIX + "GetAward": _MONEY_READERS | {Role.CSO_MEMBER},
    _PREFIX + "ListAwards": _MONEY_READERS | {Role.CSO_MEMBER},
    _PREFIX + "GetLedger": _MONEY_READERS,
    _PREFIX + "Export360Giving": _MONEY_READERS,
}
MAX_NOTE = 2000
MAX_CODE = 32


def _code(value: str) -> str:
    if not value or len(value) > MAX_CODE:
        raise invalid("tranche_code", f"must be a tranche code of 1-{MAX_CODE} characters")
    return value


class AwardsApi:
    """Award RPCs; who may do what to which call is checked in handlers and queries."""

    deps: GrantsDeps

    async def DecideAwards(self, request: pb.DecideAwardsRequest, context: Any) -> Any:
        parse = FieldParser()
        call_id = parse(parse_name, request.call, "calls", field="call")
        items = convert.items_from_proto(parse, list(request.items))
        if len(request.note) > MAX_NOTE:
            parse.add("note", f"at most {MAX_NOTE} characters")
        parse.check()
        assert call_id is not None
        cmd = handlers.DecideAwards(call_id, items, request.final_round, request.note)
        made = await handlers.decide_awards(self.deps.uow(current_principal()), cmd)
        return pb.DecideAwardsResponse(awards=[convert.award_to_proto(a) for a in made])

    async def GetAward(self, request: pb.GetAwardRequest, context: Any) -> Any:
        award_id = parse_name(request.name, convert.COLLECTION)
        async with self.deps.sessions() as session:
            award = await queries.get_visible_award(session, award_id, current_principal())
        return convert.award_to_proto(award)

    async def ListAwards(self, request: pb.ListAwardsRequest, context: Any) -> Any:
        call_id = parse_optional_name(request.call, "calls", field="call")
        async with self.deps.sessions() as session:
            page = await queries.list_awards(
                session,
                current_principal(),
                call_id=call_id,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListAwardsResponse(
            awards=[convert.award_to_proto(a) for a in page.items],
            next_page_token=page.next_page_token,
        )

    async def SignAward(self, request: pb.SignAwardRequest, context: Any) -> Any:
        cmd = handlers.AwardRef(parse_name(request.name, convert.COLLECTION))
        award = await handlers.sign_award(self.deps.uow(current_principal()), cmd)
        return convert.award_to_proto(award)

    async def ReleaseTranche(self, request: pb.ReleaseTrancheRequest, context: Any) -> Any:
        parse = FieldParser()
        award_id = parse(parse_name, request.award, convert.COLLECTION, field="award")
        code = parse(_code, request.tranche_code)
        parse.check()
        assert award_id is not None and code is not None
        cmd = handlers.ReleaseTranche(award_id, code)
        award = await handlers.release_tranche(self.deps.uow(current_principal()), cmd)
        return convert.award_to_proto(award)

    async def GetLedger(self, request: pb.GetLedgerRequest, context: Any) -> Any:
        call_id = parse_name(request.call, "calls", field="call")
        async with self.deps.sessions() as session:
            pool, names = await queries.get_ledger(session, call_id, current_principal())
        return convert.ledger_to_proto(call_id, pool, names)

    async def Export360Giving(self, request: pb.Export360GivingRequest, context: Any) -> Any:
        call_id = parse_optional_name(request.call, "calls", field="call")
        async with self.deps.sessions() as session:
            text, count = await queries.export_360giving(session, current_principal(), call_id)
        return pb.Export360GivingResponse(package_json=text, grant_count=count)
