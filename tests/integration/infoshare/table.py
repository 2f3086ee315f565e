"""A multi-agency table for share tests: SOCIAL shares safeguarding referrals with POLICE
(identity, concern, fact, opinion, health) and BRIDGES (identity and concern only) under one
active agreement; CENTRE is party to nothing. Helpers send, fetch and read the audit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import purposes_pb2 as C
from nlc.infoshare.v1 import shares_pb2 as spb
from tests.integration.infoshare.kit import (
    AUDITOR,
    BOTH,
    BRIDGES,
    BRIDGES_OFFICER,
    POLICE,
    POLICE_OFFICER,
    RECIPIENT,
    SOCIAL,
    SOCIAL_OFFICER,
    User,
    active_agreement,
    attest_training,
    call,
    create_purpose,
    flow,
    org,
    purpose_name,
    record_type_name,
    terms,
)
from tests.support.services import ServiceUnderTest

REFERRAL = "safeguarding-referral"
CASE = record_type_name("referral-case")
PURPOSE_CATEGORIES = (
    C.DATA_CATEGORY_IDENTITY,
    C.DATA_CATEGORY_BEHAVIOURAL_CONCERN,
    C.DATA_CATEGORY_FACT,
    C.DATA_CATEGORY_OPINION,
    C.DATA_CATEGORY_HEALTH,
)
FIELDS = {
    "subject_name": "Alex Example",
    "referral_reason": "Sharing extremist material at school",
    "observed_facts": "Seen handing out leaflets on 1 March",
    "health_notes": "Under treatment for anxiety",
}
SUBJECT = "CASE-2026-0042"


@dataclass(frozen=True)
class Table:
    agreement: str
    version: str


async def open_table(
    svc: ServiceUnderTest, *, retention_days: int = 365, **overrides: object
) -> Table:
    """The purpose, the active agreement (terms overridable) and training for the officers."""
    await create_purpose(
        svc, REFERRAL, categories=PURPOSE_CATEGORIES, retention_days=retention_days
    )
    parties = {SOCIAL: BOTH, POLICE: BOTH, BRIDGES: RECIPIENT}
    flows = [
        flow(SOCIAL, POLICE, *PURPOSE_CATEGORIES),
        flow(SOCIAL, BRIDGES, C.DATA_CATEGORY_IDENTITY, C.DATA_CATEGORY_BEHAVIOURAL_CONCERN),
        flow(POLICE, SOCIAL, C.DATA_CATEGORY_FACT),
    ]
    agreement = await active_agreement(svc, terms(parties, [REFERRAL], flows, **overrides))
    for who in (SOCIAL_OFFICER, POLICE_OFFICER, BRIDGES_OFFICER):
        await attest_training(svc, who)
    return Table(agreement.name, f"{agreement.name}/versions/1")


def send_request(*recipients: str, **overrides: object) -> pb.SendShareRequest:
    """A referral about SUBJECT with FIELDS to recipients (organisation ids)."""
    args: dict[str, object] = {
        "purpose": purpose_name(REFERRAL),
        "record_type": CASE,
        "recipients": [org(r) for r in recipients],
        "subject_reference": SUBJECT,
        "fields": FIELDS,
    }
    args.update(overrides)
    return pb.SendShareRequest(**args)  # type: ignore[arg-type]


async def send(svc: ServiceUnderTest, *recipients: str, **overrides: object) -> Any:
    """SendShare as SOCIAL's officer."""
    return await call(svc, "SendShare", send_request(*recipients, **overrides), SOCIAL_OFFICER)


def fetch_request(share: str, purpose: str = REFERRAL) -> pb.FetchShareRequest:
    return pb.FetchShareRequest(name=share, purpose=purpose_name(purpose))


async def fetch(svc: ServiceUnderTest, share: str, who: User) -> Any:
    return await call(svc, "FetchShare", fetch_request(share), who)


async def audit_of(svc: ServiceUnderTest, resource: str = "") -> list[spb.AuditRecord]:
    """The audit records (of resource, or all), newest first."""
    request = pb.ListAuditRecordsRequest(resource=resource, page_size=500)
    return list((await call(svc, "ListAuditRecords", request, AUDITOR)).records)
