"""RPCs of mandates: record a new version, read the current one and the history."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import mandates_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.resource_names import parse_name
from services.registry.convert import FieldParser
from services.registry.convert.mandates import (
    mandate_to_proto,
    parse_mandate_name,
    terms_from_proto,
)
from services.registry.deps import RegistryDeps
from services.registry.domain.mandates import check_terms
from services.registry.handlers import mandates as handlers
from services.registry.queries import mandates as queries

_PREFIX = "/nlc.registry.v1.RegistryService/"
POLICIES: dict[str, Any] = {
    _PREFIX + "SetMandate": frozenset(
        {Role.CITY_OFFICER, Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN}
    ),
    _PREFIX + "GetMandate": ANY_AUTHENTICATED,
    _PREFIX + "ListMandateHistory": ANY_AUTHENTICATED,
}


class MandatesApi:
    """Mandate RPCs; who may set which mandate is checked in the handler."""

    deps: RegistryDeps

    async def SetMandate(self, request: pb.SetMandateRequest, context: Any) -> Any:
        m = request.mandate
        parse = FieldParser()
        org_id = parse(parse_name, m.organisation, "organisations", field="mandate.organisation")
        terms = terms_from_proto(parse, m)
        if request.expected_version < 0:
            parse.add("expected_version", "must not be negative")
        parse(check_terms, terms, current_version=0)
        parse.check()
        assert org_id is not None
        cmd = handlers.SetMandate(org_id, terms, request.expected_version)
        view = await handlers.set_mandate(self.deps.uow(current_principal()), cmd)
        return mandate_to_proto(view)

    async def GetMandate(self, request: pb.GetMandateRequest, context: Any) -> Any:
        org_id = parse_mandate_name(request.name)
        async with self.deps.sessions() as session:
            view = await queries.get_mandate(session, org_id, current_principal())
        return mandate_to_proto(view)

    async def ListMandateHistory(self, request: pb.ListMandateHistoryRequest, context: Any) -> Any:
        org_id = parse_mandate_name(request.name)
        async with self.deps.sessions() as session:
            page = await queries.list_mandate_history(
                session,
                org_id,
                current_principal(),
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListMandateHistoryResponse(
            versions=[mandate_to_proto(v) for v in page.items],
            next_page_token=page.next_page_token,
        )
