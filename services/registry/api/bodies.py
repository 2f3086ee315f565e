"""RPCs of coordination bodies: register, update, read, list and sector coverage."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import bodies_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.field_masks import mask_paths
from services.common.field_parser import FieldParser
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.paging import page_reply, paging
from services.common.resource_names import parse_name, parse_optional_name
from services.registry.api.base import RegistryApi, policies
from services.registry.convert import bodies as convert
from services.registry.domain.bodies import check_content
from services.registry.handlers import bodies as handlers
from services.registry.queries import bodies as queries

_EDITORS = frozenset({Role.CITY_OFFICER, Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
POLICIES: dict[str, Any] = {
    **policies(("CreateCoordinationBody", "UpdateCoordinationBody"), _EDITORS),
    **policies(
        ("GetCoordinationBody", "ListCoordinationBodies", "GetSectorCoverage"), ANY_AUTHENTICATED
    ),
}
COLLECTION = convert.COLLECTION
FIELD = "coordination_body"


class CoordinationBodiesApi(RegistryApi):
    """Coordination body RPCs; the convener's ownership is checked in handlers."""

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
        return convert.body_to_proto(await self.run(handlers.create_coordination_body, cmd))

    async def GetCoordinationBody(
        self, request: pb.GetCoordinationBodyRequest, context: Any
    ) -> Any:
        body_id = parse_name(request.name, COLLECTION)
        view = await self.read(queries.get_body, body_id, current_principal())
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
        page = await self.read(
            queries.list_bodies,
            current_principal(),
            owner_id=owner,
            jurisdiction_id=place,
            kind=kind,
            **paging(request),
        )
        reply = pb.ListCoordinationBodiesResponse
        return page_reply(reply, "coordination_bodies", page, convert.body_to_proto)

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
        return convert.body_to_proto(await self.run(handlers.update_coordination_body, cmd))

    async def GetSectorCoverage(self, request: pb.GetSectorCoverageRequest, context: Any) -> Any:
        body_id = parse_name(request.name, COLLECTION)
        coverage = await self.read(queries.get_sector_coverage, body_id, current_principal())
        return convert.coverage_to_proto(body_id, coverage)
