"""RPCs of information-sharing agreements: proposal, amendment, signatures, review, suspension,
termination (a party's DPO), and reads (parties' officers and DPOs, and auditors)."""

from __future__ import annotations

from typing import Any

from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import current_principal
from services.common.clock import today
from services.common.field_parser import FieldParser
from services.common.resource_names import parse_date, parse_optional_name
from services.infoshare.convert import ORGANISATIONS
from services.infoshare.convert.agreements import (
    agreement_to_proto,
    parse_agreement_name,
    terms_from_proto,
    version_to_proto,
)
from services.infoshare.deps import InfoshareDeps
from services.infoshare.domain.access import DPOS, READERS
from services.infoshare.handlers import agreements as handlers
from services.infoshare.queries import agreements as queries

_PREFIX = "/nlc.infoshare.v1.InfoshareService/"
POLICIES: dict[str, Any] = {
    **{
        _PREFIX + m: DPOS
        for m in (
            "ProposeAgreement",
            "AmendAgreement",
            "SignAgreement",
            "ReviewAgreement",
            "SuspendAgreement",
            "TerminateAgreement",
        )
    },
    **{_PREFIX + m: READERS for m in ("GetAgreement", "ListAgreements", "ListAgreementVersions")},
}


class AgreementsApi:
    """Agreement RPCs; party membership is checked in handlers and queries."""

    deps: InfoshareDeps

    def _uow(self) -> Any:
        return self.deps.uow(current_principal())

    async def ProposeAgreement(self, request: pb.ProposeAgreementRequest, context: Any) -> Any:
        cmd = handlers.ProposeAgreement(terms_from_proto(request.terms))
        view = await handlers.propose_agreement(self._uow(), self.deps.keyring, cmd)
        return agreement_to_proto(view)

    async def GetAgreement(self, request: pb.GetAgreementRequest, context: Any) -> Any:
        agreement_id = parse_agreement_name(request.name)
        async with self.deps.sessions() as session:
            view = await queries.get_agreement(
                session, current_principal(), agreement_id, today(self.deps.clock)
            )
        return agreement_to_proto(view)

    async def ListAgreements(self, request: pb.ListAgreementsRequest, context: Any) -> Any:
        parse = FieldParser()
        organisation = parse(
            parse_optional_name, request.organisation, ORGANISATIONS, field="organisation"
        )
        parse.check()
        async with self.deps.sessions() as session:
            page = await queries.list_agreements(
                session,
                current_principal(),
                organisation_id=organisation,
                today=today(self.deps.clock),
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListAgreementsResponse(
            agreements=[agreement_to_proto(v) for v in page.items],
            next_page_token=page.next_page_token,
        )

    async def ListAgreementVersions(
        self, request: pb.ListAgreementVersionsRequest, context: Any
    ) -> Any:
        agreement_id = parse_agreement_name(request.parent, field="parent")
        async with self.deps.sessions() as session:
            versions = await queries.list_versions(session, current_principal(), agreement_id)
        return pb.ListAgreementVersionsResponse(
            versions=[version_to_proto(agreement_id, v) for v in versions]
        )

    async def AmendAgreement(self, request: pb.AmendAgreementRequest, context: Any) -> Any:
        parse = FieldParser()
        agreement_id = parse(parse_agreement_name, request.name)
        terms = parse(terms_from_proto, request.terms)
        if not request.etag:
            parse.add("etag", "is required: send the etag of the agreement you amend")
        parse.check()
        assert agreement_id is not None and terms is not None
        cmd = handlers.AmendAgreement(agreement_id, terms, request.etag)
        view = await handlers.amend_agreement(self._uow(), self.deps.keyring, cmd)
        return agreement_to_proto(view)

    async def SignAgreement(self, request: pb.SignAgreementRequest, context: Any) -> Any:
        parse = FieldParser()
        agreement_id = parse(parse_agreement_name, request.name)
        if request.version < 1:
            parse.add("version", "is required: the version you read and sign (1, 2, ...)")
        parse.check()
        assert agreement_id is not None
        cmd = handlers.SignAgreement(agreement_id, request.version)
        view = await handlers.sign_agreement(self._uow(), self.deps.keyring, cmd)
        return agreement_to_proto(view)

    async def ReviewAgreement(self, request: pb.ReviewAgreementRequest, context: Any) -> Any:
        parse = FieldParser()
        agreement_id = parse(parse_agreement_name, request.name)
        next_date = parse(
            parse_date, request.next_review_date, field="next_review_date", required=False
        )
        parse.check()
        assert agreement_id is not None
        cmd = handlers.ReviewAgreement(agreement_id, next_date, request.notes)
        view = await handlers.review_agreement(self._uow(), self.deps.keyring, cmd)
        return agreement_to_proto(view)

    async def SuspendAgreement(self, request: pb.SuspendAgreementRequest, context: Any) -> Any:
        cmd = handlers.SuspendAgreement(parse_agreement_name(request.name), request.reason)
        view = await handlers.suspend_agreement(self._uow(), self.deps.keyring, cmd)
        return agreement_to_proto(view)

    async def TerminateAgreement(self, request: pb.TerminateAgreementRequest, context: Any) -> Any:
        cmd = handlers.TerminateAgreement(parse_agreement_name(request.name), request.reason)
        view = await handlers.terminate_agreement(self._uow(), self.deps.keyring, cmd)
        return agreement_to_proto(view)
