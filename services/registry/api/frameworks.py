"""RPCs of national frameworks: drafting, consultation, adoption, distribution."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import frameworks_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.field_masks import mask_paths
from services.common.field_parser import FieldParser
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.paging import page_reply, paging
from services.common.resource_names import parse_date, parse_name
from services.registry.api.base import RegistryApi, policies
from services.registry.convert import frameworks as convert
from services.registry.domain import frameworks as domain
from services.registry.handlers import frameworks as handlers
from services.registry.queries import frameworks as queries

_ADMINS = frozenset({Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
_COMMENTERS = frozenset({Role.CITY_OFFICER, Role.NATIONAL_ADMIN, Role.NATIONAL_REVIEWER})
_WRITES = ("CreateFramework", "UpdateFramework", "OpenConsultation", "AdoptFramework")
_READS = ("GetFramework", "ListFrameworks", "ListFrameworkComments", "ListFrameworkDistributions")
POLICIES: dict[str, Any] = {
    **policies(_WRITES, _ADMINS),
    **policies(("CommentOnFramework",), _COMMENTERS),
    **policies(("AcknowledgeFramework",), frozenset({Role.CITY_OFFICER})),
    **policies(_READS, ANY_AUTHENTICATED),
}
COLLECTION = convert.COLLECTION


class FrameworksApi(RegistryApi):
    """Framework RPCs; lifecycle rules live in the domain, ownership checks in handlers."""

    async def CreateFramework(self, request: pb.CreateFrameworkRequest, context: Any) -> Any:
        f = request.framework
        parse = FieldParser()
        kind = parse(convert.kind_from_proto, f.kind, field="framework.kind")
        issuer = parse(
            parse_name,
            f.issuing_organisation,
            "organisations",
            field="framework.issuing_organisation",
        )
        place = parse(parse_name, f.jurisdiction, "jurisdictions", field="framework.jurisdiction")
        content = convert.content_from_proto(parse, f)
        parse(domain.check_new, content, kind)
        parse.check()
        assert issuer is not None and place is not None
        cmd = handlers.CreateFramework(kind, issuer, place, content)
        return convert.framework_to_proto(await self.run(handlers.create_framework, cmd))

    async def GetFramework(self, request: pb.GetFrameworkRequest, context: Any) -> Any:
        framework_id = parse_name(request.name, COLLECTION)
        view = await self.read(queries.get_visible_framework, framework_id, current_principal())
        return convert.framework_to_proto(view)

    async def ListFrameworks(self, request: pb.ListFrameworksRequest, context: Any) -> Any:
        state = convert.state_from_proto(request.state, field="state")
        page = await self.read(
            queries.list_frameworks, current_principal(), state=state, **paging(request)
        )
        return page_reply(pb.ListFrameworksResponse, "frameworks", page, convert.framework_to_proto)

    async def UpdateFramework(self, request: pb.UpdateFrameworkRequest, context: Any) -> Any:
        f = request.framework
        parse = FieldParser()
        framework_id = parse(parse_name, f.name, COLLECTION, field="framework.name")
        paths = parse(mask_paths, request.update_mask, domain.EDITABLE_FIELDS) or set()
        content = convert.content_from_proto(parse, f)
        parse.check()
        assert framework_id is not None
        cmd = handlers.UpdateFramework(framework_id, content, frozenset(paths), f.etag)
        return convert.framework_to_proto(await self.run(handlers.update_framework, cmd))

    async def OpenConsultation(self, request: pb.OpenConsultationRequest, context: Any) -> Any:
        parse = FieldParser()
        framework_id = parse(parse_name, request.name, COLLECTION)
        closes_on = parse(parse_date, request.closes_on, field="closes_on")
        parse.check()
        assert framework_id is not None and closes_on is not None
        cmd = handlers.OpenConsultation(framework_id, closes_on)
        return convert.framework_to_proto(await self.run(handlers.open_consultation, cmd))

    async def CommentOnFramework(self, request: pb.CommentOnFrameworkRequest, context: Any) -> Any:
        framework_id = parse_name(request.framework, COLLECTION, field="framework")
        cmd = handlers.CommentOnFramework(framework_id, request.anchor_code, request.text)
        return convert.comment_to_proto(await self.run(handlers.comment_on_framework, cmd))

    async def ListFrameworkComments(
        self, request: pb.ListFrameworkCommentsRequest, context: Any
    ) -> Any:
        framework_id = parse_name(request.framework, COLLECTION, field="framework")
        page = await self.read(
            queries.list_comments, framework_id, current_principal(), **paging(request)
        )
        return page_reply(
            pb.ListFrameworkCommentsResponse, "comments", page, convert.comment_to_proto
        )

    async def AdoptFramework(self, request: pb.AdoptFrameworkRequest, context: Any) -> Any:
        cmd = handlers.AdoptFramework(parse_name(request.name, COLLECTION))
        return convert.framework_to_proto(await self.run(handlers.adopt_framework, cmd))

    async def AcknowledgeFramework(
        self, request: pb.AcknowledgeFrameworkRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        framework_id = parse(parse_name, request.framework, COLLECTION, field="framework")
        org_id = parse(parse_name, request.organisation, "organisations", field="organisation")
        parse.check()
        assert framework_id is not None and org_id is not None
        cmd = handlers.AcknowledgeFramework(framework_id, org_id)
        return convert.distribution_to_proto(await self.run(handlers.acknowledge_framework, cmd))

    async def ListFrameworkDistributions(
        self, request: pb.ListFrameworkDistributionsRequest, context: Any
    ) -> Any:
        framework_id = parse_name(request.framework, COLLECTION, field="framework")
        page = await self.read(
            queries.list_distributions,
            framework_id,
            current_principal(),
            now=self.deps.clock.now(),
            pending_only=request.pending_only,
            **paging(request),
        )
        return pb.ListFrameworkDistributionsResponse(
            distributions=[convert.distribution_to_proto(d) for d in page.items],
            next_page_token=page.next_page_token,
            acknowledged_count=page.acknowledged_count,
            pending_count=page.pending_count,
        )
