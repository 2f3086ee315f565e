"""RPCs of coordination bodies: register, update, read, list and sector coverage."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import bodies_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.field_masks import mask_paths
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.resource_names import parse_name, parse_optional_name
from services.registry.convert import FieldParser
from services.registry.convert import bodies as convert
from services.registry.deps import RegistryDeps
from services.registry.domain.bodies import check_content
from services.registry.handlers import bodies as handlers
from services.registry.queries import bodies as queries

_PREFIX = "/nlc.registry.v1.RegistryService/"
_EDITORS = frozenset({Role.CITY_OFFICER, Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
_READS = ("GetCoordinationBody", "ListCoordinationBodies", "GetSectorCoverage")
POLICIES: dict[str, Any] = {
    _PREFIX + "CreateCoordinationBody": _EDITORS,
    _PREFIX + "UpdateCoordinationBody": _EDITORS,
    **{_PREFIX + m: ANY_AUTHENTICATED for m in _READS},
}
COLLECTION = convert.COLLECTION
FIELD = "coordination_body"


class CoordinationBodiesApi:
    """Coordination body RPCs; the convener's ownership is checked in handlers."""

    deps: RegistryDeps

    async def CreateCoordinationBody(
        self, request: pb.CreateCoordinationBodyRequest, context: Any
    ) -> Any:
        b = request.coordination_body
        parse = FieldParser()
        owner = parse(
            parse_name, b.owner_organisation, "organisations", field=f"{FIELD}.owner_organisation"
        )
        place = parse(parse_name, b.jurisdiction, "jurisdictions", field=f"{FIELD}.jurisdiction")
        content = convert.content_from_proto(parse, b)
        parse(check_content, content)
        parse.check()
        assert owner is not None and place is not None
        cmd = handlers.CreateCoordinationBody(owner, place, content)
        view = await handlers.create_coordination_body(self.deps.uow(current_principal()), cmd)
        return convert.body_to_proto(view)

    async def GetCoordinationBody(
        self, request: pb.GetCoordinationBodyRequest, context: Any
    ) -> Any:
        body_id = parse_name(request.name, COLLECTION)
        async with self.deps.sessions() as session:
            view = await queries.get_body(session, body_id, current_principal())
        return convert.body_to_proto(view)

    async def ListCoordinationBodies(
        self, request: pb.ListCoordinationBodiesRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        owner = parse(
            parse_optional_name,
            request.owner_organisation,
            "organisations",
            field="owner_organisation",
        )
        place = parse(
            parse_optional_name, request.jurisdiction, "jurisdictions", field="jurisdiction"
        )
        kind = parse(convert.kind_from_proto, request.kind, field="kind")
        parse.check()
        async with self.deps.sessions() as session:
            page = await queries.list_bodies(
                session,
                current_principal(),
                owner_id=owner,
                jurisdiction_id=place,
                kind=kind,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListCoordinationBodiesResponse(
            coordination_bodies=[convert.body_to_proto(b) for b in page.items],
            next_page_token=page.next_page_token,
        )

    async def UpdateCoordinationBody(
        self, request: pb.UpdateCoordinationBodyRequest, context: Any
    ) -> Any:
        b = request.coordination_body
        parse = FieldParser()
        body_id = parse(parse_name, b.name, COLLECTION, field=f"{FIELD}.name")
        paths = parse(mask_paths, request.update_mask, handlers.UPDATABLE) or set()
        content = convert.content_from_proto(parse, b)
        parse.check()
        assert body_id is not None
        cmd = handlers.UpdateCoordinationBody(body_id, content, frozenset(paths), b.etag)
        view = await handlers.update_coordination_body(self.deps.uow(current_principal()), cmd)
        return convert.body_to_proto(view)

    async def GetSectorCoverage(self, request: pb.GetSectorCoverageRequest, context: Any) -> Any:
        body_id = parse_name(request.name, COLLECTION)
        async with self.deps.sessions() as session:
            coverage = await queries.get_sector_coverage(session, body_id, current_principal())
        return convert.coverage_to_proto(body_id, coverage)
