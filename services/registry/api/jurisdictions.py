"""RPCs of the jurisdiction tree: create, read, list, update, split, merge and lineage."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import jurisdictions_pb2 as pb
from services.common.auth import Role
from services.common.clock import today
from services.common.field_masks import mask_paths
from services.common.field_parser import FieldParser
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.paging import page_reply, paging
from services.common.resource_names import parse_date, parse_name, parse_optional_name
from services.registry.api.base import RegistryApi, policies
from services.registry.convert.jurisdictions import (
    COLLECTION,
    jurisdiction_to_proto,
    level_from_proto,
)
from services.registry.domain.jurisdictions import NewPart
from services.registry.handlers import jurisdictions as handlers
from services.registry.queries import jurisdictions as queries

_ADMINS = frozenset({Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
_WRITES = ("CreateJurisdiction", "UpdateJurisdiction", "SplitJurisdiction", "MergeJurisdictions")
_READS = ("GetJurisdiction", "ListJurisdictions", "ListAncestors", "ListSubtree", "GetLineage")
POLICIES: dict[str, Any] = {**policies(_WRITES, _ADMINS), **policies(_READS, ANY_AUTHENTICATED)}


class JurisdictionsApi(RegistryApi):
    """Jurisdiction RPCs; rules live in the domain and handlers."""

    async def CreateJurisdiction(self, request: pb.CreateJurisdictionRequest, context: Any) -> Any:
        j = request.jurisdiction
        parse = FieldParser()
        level = parse(level_from_proto, j.level, field="jurisdiction.level")
        parent = parse(parse_optional_name, j.parent, COLLECTION, field="jurisdiction.parent")
        valid_from = parse(
            parse_date, j.valid_from, field="jurisdiction.valid_from", required=False
        )
        valid_to = parse(parse_date, j.valid_to, field="jurisdiction.valid_to", required=False)
        parse.check()
        cmd = handlers.CreateJurisdiction(
            j.code, j.display_name, level, parent, valid_from, valid_to
        )
        view = await self.run(handlers.create_jurisdiction, cmd)
        return jurisdiction_to_proto(view)

    async def GetJurisdiction(self, request: pb.GetJurisdictionRequest, context: Any) -> Any:
        jurisdiction_id = parse_name(request.name, COLLECTION)
        view = await self.read(queries.get_jurisdiction, jurisdiction_id)
        return jurisdiction_to_proto(view)

    async def ListJurisdictions(self, request: pb.ListJurisdictionsRequest, context: Any) -> Any:
        parse = FieldParser()
        parent = parse(parse_optional_name, request.parent, COLLECTION, field="parent")
        level = parse(level_from_proto, request.level, field="level")
        valid_on = parse(parse_date, request.valid_on, field="valid_on", required=False)
        parse.check()
        page = await self.read(
            queries.list_jurisdictions,
            parent_id=parent,
            level=level,
            valid_on=valid_on or today(self.deps.clock),
            include_retired=request.include_retired,
            **paging(request),
        )
        return page_reply(
            pb.ListJurisdictionsResponse, "jurisdictions", page, jurisdiction_to_proto
        )

    async def UpdateJurisdiction(self, request: pb.UpdateJurisdictionRequest, context: Any) -> Any:
        j = request.jurisdiction
        parse = FieldParser()
        jurisdiction_id = parse(parse_name, j.name, COLLECTION, field="jurisdiction.name")
        paths = parse(mask_paths, request.update_mask, {"display_name", "code"}) or set()
        parse.check()
        assert jurisdiction_id is not None
        cmd = handlers.UpdateJurisdiction(
            jurisdiction_id,
            display_name=j.display_name if "display_name" in paths else None,
            code=j.code if "code" in paths else None,
            etag=j.etag,
        )
        view = await self.run(handlers.update_jurisdiction, cmd)
        return jurisdiction_to_proto(view)

    async def ListAncestors(self, request: pb.ListAncestorsRequest, context: Any) -> Any:
        jurisdiction_id = parse_name(request.name, COLLECTION)
        chain = await self.read(queries.ancestors, jurisdiction_id)
        return pb.ListAncestorsResponse(jurisdictions=[jurisdiction_to_proto(v) for v in chain])

    async def ListSubtree(self, request: pb.ListSubtreeRequest, context: Any) -> Any:
        parse = FieldParser()
        root = parse(parse_name, request.name, COLLECTION)
        valid_on = parse(parse_date, request.valid_on, field="valid_on", required=False)
        parse.check()
        assert root is not None
        page = await self.read(
            queries.list_subtree,
            root,
            valid_on=valid_on or today(self.deps.clock),
            include_retired=request.include_retired,
            **paging(request),
        )
        return page_reply(pb.ListSubtreeResponse, "jurisdictions", page, jurisdiction_to_proto)

    async def SplitJurisdiction(self, request: pb.SplitJurisdictionRequest, context: Any) -> Any:
        parse = FieldParser()
        original = parse(parse_name, request.name, COLLECTION)
        effective = parse(parse_date, request.effective_date, field="effective_date")
        parse.check()
        assert original is not None and effective is not None
        cmd = handlers.SplitJurisdiction(
            original,
            effective,
            [NewPart(p.code, p.display_name) for p in request.parts],
            request.reason,
        )
        retired, parts = await self.run(handlers.split_jurisdiction, cmd)
        return pb.SplitJurisdictionResponse(
            retired=jurisdiction_to_proto(retired), parts=[jurisdiction_to_proto(p) for p in parts]
        )

    async def MergeJurisdictions(self, request: pb.MergeJurisdictionsRequest, context: Any) -> Any:
        parse = FieldParser()
        ids = [
            parse(parse_name, n, COLLECTION, field=f"names[{i}]")
            for i, n in enumerate(request.names)
        ]
        effective = parse(parse_date, request.effective_date, field="effective_date")
        if not request.HasField("merged"):
            parse.add("merged", "is required")
        parse.check()
        assert effective is not None
        cmd = handlers.MergeJurisdictions(
            [i for i in ids if i is not None],
            effective,
            NewPart(request.merged.code, request.merged.display_name),
            request.reason,
        )
        retired, merged = await self.run(handlers.merge_jurisdictions, cmd)
        return pb.MergeJurisdictionsResponse(
            retired=[jurisdiction_to_proto(r) for r in retired],
            merged=jurisdiction_to_proto(merged),
        )

    async def GetLineage(self, request: pb.GetLineageRequest, context: Any) -> Any:
        jurisdiction_id = parse_name(request.name, COLLECTION)
        older, newer = await self.read(queries.lineage, jurisdiction_id)
        return pb.GetLineageResponse(
            ancestors=[jurisdiction_to_proto(v) for v in older],
            descendants=[jurisdiction_to_proto(v) for v in newer],
        )
