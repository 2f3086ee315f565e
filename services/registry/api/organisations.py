"""RPCs of organisations: registration, reads, updates and verification decisions."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import organisations_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.field_masks import mask_paths
from services.common.field_parser import FieldParser
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.paging import page_reply, paging
from services.common.resource_names import parse_name, parse_optional_name
from services.registry.api.base import RegistryApi, policies
from services.registry.convert import jurisdictions as jurisdiction_names
from services.registry.convert.organisations import (
    COLLECTION,
    kind_from_proto,
    organisation_to_proto,
    sector_from_proto,
    state_from_proto,
)
from services.registry.deps import CachedOrganisation
from services.registry.domain.organisations import Details, RegistrationNumber, check_details
from services.registry.handlers import organisations as handlers
from services.registry.queries import organisations as queries

_ADMINS = frozenset({Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
_DECISIONS = {
    "VerifyOrganisation": handlers.verify_organisation,
    "RejectOrganisation": handlers.reject_organisation,
    "SuspendOrganisation": handlers.suspend_organisation,
    "ReinstateOrganisation": handlers.reinstate_organisation,
}
_READS = ("GetOrganisation", "ListOrganisations", "UpdateOrganisation")
POLICIES: dict[str, Any] = {
    **policies(("CreateOrganisation", *_DECISIONS), _ADMINS),
    **policies(_READS, ANY_AUTHENTICATED),
}


def _details(parse: FieldParser, o: pb.Organisation, fields: set[str] | None = None) -> Details:
    """Details from the request; with fields, only those are parsed (the rest stay empty)."""

    def wanted(name: str) -> bool:
        return fields is None or name in fields

    jurisdictions = jurisdiction_names.COLLECTION
    return Details(
        display_name=o.display_name,
        kind=parse(kind_from_proto, o.kind, field="organisation.kind") if wanted("kind") else None,
        sector=(
            parse(sector_from_proto, o.sector, field="organisation.sector")
            if wanted("sector")
            else None
        ),
        jurisdiction_id=(
            parse(
                parse_optional_name,
                o.jurisdiction,
                jurisdictions,
                field="organisation.jurisdiction",
            )
            if wanted("jurisdiction")
            else None
        ),
        registration_numbers=tuple(
            RegistrationNumber(n.scheme, n.value) for n in o.registration_numbers
        ),
        website=o.website,
        contact_email=o.contact_email,
    )


class OrganisationsApi(RegistryApi):
    """Organisation RPCs; visibility and ownership are checked in queries and handlers."""

    async def CreateOrganisation(self, request: pb.CreateOrganisationRequest, context: Any) -> Any:
        parse = FieldParser()
        details = _details(parse, request.organisation)
        chosen = None
        if request.organisation_id:
            name = f"{COLLECTION}/{request.organisation_id}"
            chosen = parse(parse_name, name, COLLECTION, field="organisation_id")
        parse(check_details, details)
        parse.check()
        cmd = handlers.CreateOrganisation(details, chosen)
        view = await self.run(handlers.create_organisation, cmd)
        return organisation_to_proto(view)

    async def GetOrganisation(self, request: pb.GetOrganisationRequest, context: Any) -> Any:
        org_id = parse_name(request.name, COLLECTION)
        cached = await self.deps.organisations.get(org_id, lambda: self._organisation(org_id))
        view, reply = cached or (None, None)
        queries.visible_organisation(view, org_id, current_principal())
        return reply

    async def _organisation(self, org_id: str) -> CachedOrganisation | None:
        """The organisation with its reply, whoever may see it; None when there is none."""
        view = await self.read(queries.find_organisation, org_id)
        return (view, organisation_to_proto(view)) if view else None

    async def ListOrganisations(self, request: pb.ListOrganisationsRequest, context: Any) -> Any:
        parse = FieldParser()
        kind = parse(kind_from_proto, request.kind, field="kind")
        jurisdiction = parse(
            parse_optional_name,
            request.jurisdiction,
            jurisdiction_names.COLLECTION,
            field="jurisdiction",
        )
        state = parse(state_from_proto, request.verification_state, field="verification_state")
        parse.check()
        page = await self.read(
            queries.list_organisations,
            current_principal(),
            kind=kind,
            jurisdiction_id=jurisdiction,
            verification_state=state,
            **paging(request),
        )
        return page_reply(
            pb.ListOrganisationsResponse, "organisations", page, organisation_to_proto
        )

    async def UpdateOrganisation(self, request: pb.UpdateOrganisationRequest, context: Any) -> Any:
        o = request.organisation
        parse = FieldParser()
        org_id = parse(parse_name, o.name, COLLECTION, field="organisation.name")
        paths = parse(mask_paths, request.update_mask, handlers.UPDATABLE) or set()
        details = _details(parse, o, paths)
        parse.check()
        assert org_id is not None
        cmd = handlers.UpdateOrganisation(org_id, details, frozenset(paths), o.etag)
        view = await self.run(handlers.update_organisation, cmd)
        return organisation_to_proto(view)

    async def _decide(self, method: str, request: pb.ChangeVerificationRequest) -> Any:
        org_id = parse_name(request.name, COLLECTION)
        cmd = handlers.ChangeVerification(org_id, request.reason, request.etag)
        view = await self.run(_DECISIONS[method], cmd)
        return organisation_to_proto(view)

    async def VerifyOrganisation(self, request: pb.ChangeVerificationRequest, context: Any) -> Any:
        return await self._decide("VerifyOrganisation", request)

    async def RejectOrganisation(self, request: pb.ChangeVerificationRequest, context: Any) -> Any:
        return await self._decide("RejectOrganisation", request)

    async def SuspendOrganisation(self, request: pb.ChangeVerificationRequest, context: Any) -> Any:
        return await self._decide("SuspendOrganisation", request)

    async def ReinstateOrganisation(
        self, request: pb.ChangeVerificationRequest, context: Any
    ) -> Any:
        return await self._decide("ReinstateOrganisation", request)
