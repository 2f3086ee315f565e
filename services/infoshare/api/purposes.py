"""RPCs of purposes (created by data-protection officers) and the standard record types."""

from __future__ import annotations

from typing import Any

from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import current_principal
from services.common.field_parser import FieldParser
from services.infoshare.convert.purposes import (
    parse_purpose_name,
    parse_record_type_name,
    purpose_draft_from_proto,
    purpose_to_proto,
    record_type_to_proto,
)
from services.infoshare.deps import InfoshareDeps
from services.infoshare.domain.access import DPOS, READERS
from services.infoshare.handlers import purposes as handlers
from services.infoshare.queries import purposes as queries

_PREFIX = "/nlc.infoshare.v1.InfoshareService/"
POLICIES: dict[str, Any] = {
    _PREFIX + "CreatePurpose": DPOS,
    **{
        _PREFIX + m: READERS
        for m in ("GetPurpose", "ListPurposes", "GetRecordType", "ListRecordTypes")
    },
}


class PurposesApi:
    """Purposes and record types are the same for every organisation: readers see them all."""

    deps: InfoshareDeps

    async def CreatePurpose(self, request: pb.CreatePurposeRequest, context: Any) -> Any:
        parse = FieldParser()
        draft = purpose_draft_from_proto(parse, request.purpose)
        parse.check()
        uow = self.deps.uow(current_principal())
        return purpose_to_proto(await handlers.create_purpose(uow, self.deps.keyring, draft))

    async def GetPurpose(self, request: pb.GetPurposeRequest, context: Any) -> Any:
        code = parse_purpose_name(request.name)
        async with self.deps.sessions() as session:
            return purpose_to_proto(await queries.get_purpose(session, code))

    async def ListPurposes(self, request: pb.ListPurposesRequest, context: Any) -> Any:
        async with self.deps.sessions() as session:
            page = await queries.list_purposes(
                session, requested_size=request.page_size, token=request.page_token
            )
        return pb.ListPurposesResponse(
            purposes=[purpose_to_proto(p) for p in page.items],
            next_page_token=page.next_page_token,
        )

    async def GetRecordType(self, request: pb.GetRecordTypeRequest, context: Any) -> Any:
        code = parse_record_type_name(request.name)
        return record_type_to_proto(queries.get_record_type(code))

    async def ListRecordTypes(self, request: pb.ListRecordTypesRequest, context: Any) -> Any:
        types = queries.list_record_types()
        return pb.ListRecordTypesResponse(record_types=[record_type_to_proto(t) for t in types])
