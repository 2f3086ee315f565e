"""RPCs of mandates: record a new version, read the current one and the history."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import mandates_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.field_parser import FieldParser
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.paging import page_reply, paging
from services.common.resource_names import parse_name
from services.registry.api.base import RegistryApi, policies
from services.registry.convert.mandates import (
    mandate_to_proto,
    parse_mandate_name,
    terms_from_proto,
)
from services.registry.domain.mandates import check_terms
from services.registry.handlers import mandates as handlers
from services.registry.queries import mandates as queries

_SETTERS = frozenset({Role.CITY_OFFICER, Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
POLICIES: dict[str, Any] = {
    **policies(("SetMandate",), _SETTERS),
    **policies(("GetMandate", "ListMandateHistory"), ANY_AUTHENTICATED),
}


class MandatesApi(RegistryApi):
    """Mandate RPCs; who may set which mandate is checked in the handler."""

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
        return mandate_to_proto(await self.run(handlers.set_mandate, cmd))

    async def GetMandate(self, request: pb.GetMandateRequest, context: Any) -> Any:
        org_id = parse_mandate_name(request.name)
        view = await self.read(queries.get_mandate, org_id, current_principal())
        return mandate_to_proto(view)

    async def ListMandateHistory(self, request: pb.ListMandateHistoryRequest, context: Any) -> Any:
        org_id = parse_mandate_name(request.name)
        page = await self.read(
            queries.list_mandate_history, org_id, current_principal(), **paging(request)
        )
        return page_reply(pb.ListMandateHistoryResponse, "versions", page, mandate_to_proto)
