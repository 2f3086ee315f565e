"""RPCs of national frameworks: drafting, consultation, adoption, distribution."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import frameworks_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.field_masks import mask_paths
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.resource_names import parse_date, parse_name
from services.registry.convert import FieldParser
from services.registry.convert import frameworks as convert
from services.registry.deps import RegistryDeps
from services.registry.domain import frameworks as domain
from services.registry.handlers import frameworks as handlers
from services.registry.queries import frameworks as queries

_PREFIX = "/nlc.registry.v1.RegistryService/"
_ADMINS = frozenset({Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
_COMMENTERS = frozenset({Role.CITY_OFFICER, Role.NATIONAL_ADMIN, Role.NATIONAL_REVIEWER})
_READS = ("GetFramework", "ListFrameworks", "ListFrameworkComments", "ListFrameworkDistributions")
POLICIES: dict[str, Any] = {
    **{
        _PREFIX + m: _ADMINS
        for m in ("CreateFramework", "UpdateFramework", "OpenConsultation", "AdoptFramework")
    },
    _PREFIX + "CommentOnFramework": _COMMENTERS,
    _PREFIX + "AcknowledgeFramework": frozenset({Role.CITY_OFFICER}),
    **{_PREFIX + m: ANY_AUTHENTICATED for m in _READS},
}
COLLECTION = convert.COLLECTION


class FrameworksApi:
    """Framework RPCs; lifecycle rules live in the domain, ownership checks in handlers."""

    deps: RegistryDeps

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
        view = await handlers.create_framework(self.deps.uow(current_principal()), cmd)
        return convert.framework_to_proto(view)

    async def GetFramework(self, request: pb.GetFrameworkRequest, context: Any) -> Any:
        framework_id = parse_name(request.name, COLLECTION)
        async with self.deps.sessions() as session:
            view = await queries.get_framework(session, framework_id)
        return convert.framework_to_proto(view)

    async def ListFrameworks(self, request: pb.ListFrameworksRequest, context: Any) -> Any:
        state = convert.state_from_proto(request.state, field="state")
        async with self.deps.sessions() as session:
            page = await queries.list_frameworks(
                session, state=state, requested_size=request.page_size, token=request.page_token
            )
        return pb.ListFrameworksResponse(
            frameworks=[convert.framework_to_proto(v) for v in page.items],
            next_page_token=page.next_page_token,
        )

    async def UpdateFramework(self, request: pb.UpdateFrameworkRequest, context: Any) -> Any:
        f = request.framework
        parse = FieldParser()
        framework_id = parse(parse_name, f.name, COLLECTION, field="framework.name")
        paths = parse(mask_paths, request.update_mask, domain.EDITABLE_FIELDS) or set()
        content = convert.content_from_proto(parse, f)
        parse.check()
        assert framework_id is not None
        cmd = handlers.UpdateFramework(framework_id, content, frozenset(paths), f.etag)
        view = await handlers.update_framework(self.deps.uow(current_principal()), cmd)
        return convert.framework_to_proto(view)

    async def OpenConsultation(self, request: pb.OpenConsultationRequest, context: Any) -> Any:
        parse = FieldParser()
        framework_id = parse(parse_name, request.name, COLLECTION)
        closes_on = parse(parse_date, request.closes_on, field="closes_on")
        parse.check()
        assert framework_id is not None and closes_on is not None
        cmd = handlers.OpenConsultation(framework_id, closes_on)
        view = await handlers.open_consultation(self.deps.uow(current_principal()), cmd)
        return convert.framework_to_proto(view)

    async def CommentOnFramework(self, request: pb.CommentOnFrameworkRequest, context: Any) -> Any:
        framework_id = parse_name(request.framework, COLLECTION, field="framework")
        cmd = handlers.CommentOnFramework(framework_id, request.anchor_code, request.text)
        view = await handlers.comment_on_framework(self.deps.uow(current_principal()), cmd)
        return convert.comment_to_proto(view)

    async def ListFrameworkComments(
        self, request: pb.ListFrameworkCommentsRequest, context: Any
    ) -> Any:
        framework_id = parse_name(request.framework, COLLECTION, field="framework")
        async with self.deps.sessions() as session:
            page = await queries.list_comments(
                session, framework_id, requested_size=request.page_size, token=request.page_token
            )
        return pb.ListFrameworkCommentsResponse(
            comments=[convert.comment_to_proto(c) for c in page.items],
            next_page_token=page.next_page_token,
        )

    async def AdoptFramework(self, request: pb.AdoptFrameworkRequest, context: Any) -> Any:
        framework_id = parse_name(request.name, COLLECTION)
        cmd = handlers.AdoptFramework(framework_id)
        view = await handlers.adopt_framework(self.deps.uow(current_principal()), cmd)
        return convert.framework_to_proto(view)

    async def AcknowledgeFramework(
        self, request: pb.AcknowledgeFrameworkRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        framework_id = parse(parse_name, request.framework, COLLECTION, field="framework")
        org_id = parse(parse_name, request.organisation, "organisations", field="organisation")
        parse.check()
        assert framework_id is not None and org_id is not None
        cmd = handlers.AcknowledgeFramework(framework_id, org_id)
        view = await handlers.acknowledge_framework(self.deps.uow(current_principal()), cmd)
        return convert.distribution_to_proto(view)

    async def ListFrameworkDistributions(
        self, request: pb.ListFrameworkDistributionsRequest, context: Any
    ) -> Any:
        framework_id = parse_name(request.framework, COLLECTION, field="framework")
        async with self.deps.sessions() as session:
            page = await queries.list_distributions(
                session,
                framework_id,
                now=self.deps.clock.now(),
                pending_only=request.pending_only,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListFrameworkDistributionsResponse(
            distributions=[convert.distribution_to_proto(d) for d in page.items],
            next_page_token=page.next_page_token,
            acknowledged_count=page.acknowledged_count,
            pending_count=page.pending_count,
        )
