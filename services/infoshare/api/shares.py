"""RPCs of shares, for infoshare officers acting for their own organisation: send, read the
metadata (inbox and sent), fetch the content, acknowledge, correct and revoke."""

from __future__ import annotations

from typing import Any

from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import current_principal
from services.common.field_parser import FieldParser
from services.common.resource_names import parse_name
from services.infoshare.convert import ORGANISATIONS, SHARES
from services.infoshare.convert.purposes import parse_purpose_name, parse_record_type_name
from services.infoshare.convert.shares import (
    MAILBOX,
    content_to_proto,
    decision_to_proto,
    share_to_proto,
)
from services.infoshare.deps import InfoshareDeps
from services.infoshare.domain.access import OFFICERS
from services.infoshare.domain.share_rules import Consent
from services.infoshare.handlers import shares as handlers
from services.infoshare.queries import shares as queries

_PREFIX = "/nlc.infoshare.v1.InfoshareService/"
POLICIES: dict[str, Any] = {
    _PREFIX + m: OFFICERS
    for m in (
        "SendShare",
        "GetShare",
        "ListShares",
        "FetchShare",
        "AcknowledgeShare",
        "CorrectShare",
        "RevokeShare",
    )
}


def _send_command(request: pb.SendShareRequest) -> handlers.SendShare:
    parse = FieldParser()
    purpose = parse(parse_purpose_name, request.purpose, field="purpose")
    record_type = parse(parse_record_type_name, request.record_type, field="record_type")
    recipients = [
        parse(parse_name, r, ORGANISATIONS, field=f"recipients[{i}]")
        for i, r in enumerate(request.recipients)
    ]
    parse.check()
    assert purpose is not None and record_type is not None
    return handlers.SendShare(
        purpose_code=purpose,
        record_type=record_type,
        recipients=tuple(r for r in recipients if r is not None),
        subject_reference=request.subject_reference,
        fields=dict(request.fields),
        all_or_nothing=request.all_or_nothing,
        consent=Consent(request.consent.obtained, request.consent.reference),
    )


class SharesApi:
    """Share RPCs; what an organisation may see and do is checked in handlers and queries."""

    deps: InfoshareDeps

    async def SendShare(self, request: pb.SendShareRequest, context: Any) -> Any:
        cmd = _send_command(request)
        uow = self.deps.uow(current_principal())
        result = await handlers.send_share(uow, self.deps.keyring, cmd)
        return pb.SendShareResponse(
            share=share_to_proto(result.share) if result.share is not None else None,
            decisions=[decision_to_proto(d) for d in result.decisions],
        )

    async def GetShare(self, request: pb.GetShareRequest, context: Any) -> Any:
        share_id = parse_name(request.name, SHARES)
        async with self.deps.sessions() as session:
            view = await queries.get_visible_share(session, share_id, current_principal().org_id)
        return share_to_proto(view)

    async def ListShares(self, request: pb.ListSharesRequest, context: Any) -> Any:
        mailbox = MAILBOX.from_proto(request.mailbox, field="mailbox")
        async with self.deps.sessions() as session:
            page = await queries.list_shares(
                session,
                current_principal().org_id,
                mailbox,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListSharesResponse(
            shares=[share_to_proto(v) for v in page.items], next_page_token=page.next_page_token
        )

    async def FetchShare(self, request: pb.FetchShareRequest, context: Any) -> Any:
        parse = FieldParser()
        share_id = parse(parse_name, request.name, SHARES)
        purpose = parse(parse_purpose_name, request.purpose, field="purpose")
        parse.check()
        assert share_id is not None and purpose is not None
        uow = self.deps.uow(current_principal())
        found = await handlers.fetch_share(uow, self.deps.keyring, share_id, purpose)
        return content_to_proto(found.view, found.fields, found.agreement_version)

    async def AcknowledgeShare(self, request: pb.AcknowledgeShareRequest, context: Any) -> Any:
        share_id = parse_name(request.name, SHARES)
        uow = self.deps.uow(current_principal())
        view = await handlers.acknowledge_share(
            uow, self.deps.keyring, share_id, request.content_version
        )
        return share_to_proto(view)

    async def CorrectShare(self, request: pb.CorrectShareRequest, context: Any) -> Any:
        share_id = parse_name(request.name, SHARES)
        uow = self.deps.uow(current_principal())
        view = await handlers.correct_share(
            uow, self.deps.keyring, share_id, dict(request.fields), request.reason
        )
        return share_to_proto(view)

    async def RevokeShare(self, request: pb.RevokeShareRequest, context: Any) -> Any:
        share_id = parse_name(request.name, SHARES)
        uow = self.deps.uow(current_principal())
        view = await handlers.revoke_share(uow, self.deps.keyring, share_id, request.reason)
        return share_to_proto(view)
