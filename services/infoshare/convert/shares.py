"""Shares between protobuf and domain: decisions, the share as its viewer sees it, read content,
and the metadata-only notices recipients get."""

from __future__ import annotations

from datetime import datetime

from nlc.infoshare.v1 import events_pb2, infoshare_pb2
from nlc.infoshare.v1 import shares_pb2 as pb
from services.common.enums import ProtoEnum
from services.common.resource_names import make_name, to_timestamp
from services.infoshare.convert import SHARES, agreement_version_name
from services.infoshare.convert.agreements import organisation_name
from services.infoshare.convert.purposes import purpose_name, record_type_name
from services.infoshare.domain.policy import DenialReason, Outcome, RecipientDecision
from services.infoshare.domain.shares import Delivery, Share, ShareState
from services.infoshare.queries.shares import Mailbox, ShareView

OUTCOME = ProtoEnum(pb.Outcome, "OUTCOME_", Outcome)
DENIAL_REASON = ProtoEnum(pb.DenialReason, "DENIAL_REASON_", DenialReason)
SHARE_STATE = ProtoEnum(pb.ShareState, "SHARE_STATE_", ShareState)
MAILBOX = ProtoEnum(infoshare_pb2.Mailbox, "MAILBOX_", Mailbox)


def share_name(share_id: str) -> str:
    return make_name(SHARES, share_id)


def version_name(agreement_id: str | None, version: int | None) -> str:
    """`agreements/{id}/versions/{n}`, or "" when no agreement applied."""
    if agreement_id is None or version is None:
        return ""
    return agreement_version_name(agreement_id, version)


def decision_to_proto(d: RecipientDecision) -> pb.RecipientDecision:
    return pb.RecipientDecision(
        recipient=organisation_name(d.recipient_id),
        outcome=OUTCOME.to_proto(d.outcome),
        dropped_fields=list(d.dropped_fields),
        denial_reason=DENIAL_REASON.to_proto(d.denial_reason),
        explanation=d.explanation,
        agreement_version=version_name(d.agreement_id, d.version),
    )


def delivery_to_proto(d: Delivery) -> pb.Delivery:
    return pb.Delivery(
        recipient=organisation_name(d.recipient_id),
        outcome=OUTCOME.to_proto(d.outcome),
        dropped_fields=list(d.dropped_fields),
        agreement_version=version_name(d.agreement_id, d.agreement_version),
        acknowledged_version=d.acknowledged_version,
        acknowledge_time=to_timestamp(d.acknowledged_at),
        denial_reason=DENIAL_REASON.to_proto(d.denial_reason),
        explanation=d.explanation,
    )


def share_to_proto(view: ShareView) -> pb.Share:
    """The share's metadata as its viewer may see it; never content."""
    s = view.share
    return pb.Share(
        name=share_name(s.id),
        purpose=purpose_name(s.purpose_code),
        record_type=record_type_name(s.record_type),
        sender=organisation_name(s.sender_org_id),
        state=SHARE_STATE.to_proto(s.state),
        content_version=s.content_version,
        subject_pseudonym=view.pseudonym,
        deliveries=[delivery_to_proto(d) for d in view.deliveries],
        send_time=to_timestamp(s.sent_at),
        expire_time=to_timestamp(s.expires_at),
        state_reason=s.state_reason,
        update_time=to_timestamp(s.updated_at),
    )


def content_to_proto(
    view: ShareView, fields: dict[str, str], agreement_version: str
) -> pb.ShareContent:
    return pb.ShareContent(
        share=share_to_proto(view),
        fields=fields,
        agreement_version=agreement_version,
        subject_pseudonym=view.pseudonym,
    )


def share_notice(share: Share, recipient_id: str, at: datetime) -> events_pb2.ShareNotice:
    """Event for nlc.infoshare.share.<delivered|corrected|revoked|erased>.<recipient org>."""
    return events_pb2.ShareNotice(
        share=share_name(share.id),
        purpose=purpose_name(share.purpose_code),
        record_type=record_type_name(share.record_type),
        sender=organisation_name(share.sender_org_id),
        recipient=organisation_name(recipient_id),
        content_version=share.content_version,
        time=to_timestamp(at),
    )
