"""Helpers for infoshare tests over gRPC: users of demo-like organisations (tokens minted by the
test IdP), purposes, agreements signed into force by every party's DPO, training attestations.

Users: officer(org_id) and dpo(org_id) are that organisation's infoshare officer and
data-protection officer (the same sub every time); SOCIAL_OFFICER "social", SOCIAL_DPO
"social-dpo", POLICE_OFFICER "police", POLICE_DPO "police-dpo", BRIDGES_OFFICER "bridges",
BRIDGES_DPO "bridges-dpo", CENTRE_DPO "centre-dpo", AUDITOR "auditor" (of AUDIT) and OUTSIDER
(a city officer of RIVERTON, who may see nothing here). The service's clock stands at TODAY.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import grpc
import pytest

from nlc.infoshare.v1 import agreements_pb2, infoshare_pb2, purposes_pb2, shares_pb2
from services.common import demo_ids
from services.common.auth import Role
from services.common.rich_status import violations_of
from tests.support.services import TEST_NOW, ServiceUnderTest

TODAY = TEST_NOW.date()
SOCIAL, POLICE, BRIDGES, CENTRE = (
    demo_ids.SOCIAL,
    demo_ids.POLICE,
    demo_ids.BRIDGES,
    demo_ids.CENTRE,
)
_NAMES = {SOCIAL: "social", POLICE: "police", BRIDGES: "bridges", CENTRE: "centre"}
_USERS = uuid.UUID("6f1d2c3b-0000-4000-8000-00000000a11e")

PROVIDER = agreements_pb2.PARTY_ROLE_PROVIDER
RECIPIENT = agreements_pb2.PARTY_ROLE_RECIPIENT
BOTH = agreements_pb2.PARTY_ROLE_PROVIDER_AND_RECIPIENT
ALL_CATEGORIES = tuple(
    v.number for v in purposes_pb2.DataCategory.DESCRIPTOR.values if v.number != 0
)


@dataclass(frozen=True)
class User:
    """Someone who calls the service: token subject, username, realm roles, organisation."""

    sub: str
    username: str
    roles: tuple[str, ...]
    org_id: str | None

    @property
    def organisation(self) -> str:
        """`organisations/{id}` of the user's organisation."""
        return org(self.org_id or "")


def user(username: str, role: str, org_id: str | None) -> User:
    """A user with one role; the same username always has the same sub."""
    return User(str(uuid.uuid5(_USERS, username)), username, (role,), org_id)


def _short(org_id: str) -> str:
    return _NAMES.get(org_id, f"org-{org_id[-4:]}")


def officer(org_id: str) -> User:
    """The organisation's infoshare officer."""
    return user(_short(org_id), Role.INFOSHARE_OFFICER, org_id)


def dpo(org_id: str) -> User:
    """The organisation's data-protection officer."""
    return user(f"{_short(org_id)}-dpo", Role.DATA_PROTECTION_OFFICER, org_id)


SOCIAL_OFFICER, SOCIAL_DPO = officer(SOCIAL), dpo(SOCIAL)
POLICE_OFFICER, POLICE_DPO = officer(POLICE), dpo(POLICE)
BRIDGES_OFFICER, BRIDGES_DPO = officer(BRIDGES), dpo(BRIDGES)
CENTRE_DPO = dpo(CENTRE)
AUDITOR = user("auditor", Role.AUDITOR, demo_ids.AUDIT)
OUTSIDER = user("outsider", Role.CITY_OFFICER, demo_ids.RIVERTON)


def org(org_id: str) -> str:
    return f"organisations/{org_id}"


def purpose_name(code: str) -> str:
    return f"purposes/{code}"


def record_type_name(code: str) -> str:
    return f"recordTypes/{code}"


def metadata(svc: ServiceUnderTest, who: User) -> list[tuple[str, str]]:
    """gRPC metadata carrying a fresh access token for who."""
    token = svc.idp.minter.access_token(
        sub=who.sub, username=who.username, roles=list(who.roles), org_id=who.org_id
    )
    return [("authorization", f"Bearer {token}")]


async def call(svc: ServiceUnderTest, method: str, request: Any, who: User) -> Any:
    """Call an InfoshareService method as who."""
    return await getattr(svc.stub, method)(request, metadata=metadata(svc, who), timeout=15)


async def failure(
    svc: ServiceUnderTest, method: str, request: Any, who: User
) -> grpc.aio.AioRpcError:
    """The error an InfoshareService call made as who fails with (the test fails if it works)."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call(svc, method, request, who)
    return caught.value


def violated_fields(error: grpc.aio.AioRpcError) -> list[str]:
    """The fields an INVALID_ARGUMENT (or FAILED_PRECONDITION) error names, sorted."""
    return sorted(field for field, _ in violations_of(error))


async def create_purpose(
    svc: ServiceUnderTest,
    code: str = "safeguarding-referral",
    *,
    categories: Sequence[int] = ALL_CATEGORIES,
    lawful_basis: int = purposes_pb2.LAWFUL_BASIS_PUBLIC_TASK,
    consent_required: bool = False,
    retention_days: int = 365,
    by: User = SOCIAL_DPO,
) -> purposes_pb2.Purpose:
    """A new purpose allowing categories (all of them by default)."""
    purpose = purposes_pb2.Purpose(
        code=code,
        description=f"Sharing for {code}",
        lawful_basis=lawful_basis,
        data_categories=list(categories),
        retention_days=retention_days,
        consent_required=consent_required,
    )
    request = infoshare_pb2.CreatePurposeRequest(purpose=purpose)
    return await call(svc, "CreatePurpose", request, by)


def flow(provider_id: str, recipient_id: str, *categories: int) -> agreements_pb2.DataFlow:
    """Categories flowing from one organisation (id) to another (all when none are named)."""
    return agreements_pb2.DataFlow(
        provider=org(provider_id),
        recipient=org(recipient_id),
        categories=list(categories or ALL_CATEGORIES),
    )


def terms(
    parties: Mapping[str, int],
    purposes: Sequence[str],
    flows: Sequence[agreements_pb2.DataFlow],
    *,
    valid_from: str = "2026-01-01",
    valid_until: str = "2027-12-31",
    review_interval_months: int = 12,
    title: str = "Multi-agency safeguarding agreement",
) -> agreements_pb2.AgreementTerms:
    """Terms between parties (organisation id -> PartyRole) for purposes (codes)."""
    return agreements_pb2.AgreementTerms(
        title=title,
        parties=[agreements_pb2.Party(organisation=org(o), role=r) for o, r in parties.items()],
        purposes=[purpose_name(c) for c in purposes],
        flows=list(flows),
        valid_from=valid_from,
        valid_until=valid_until,
        review_interval_months=review_interval_months,
    )


def _org_id(name: str) -> str:
    return name.removeprefix("organisations/")


async def propose_agreement(
    svc: ServiceUnderTest, proposed: agreements_pb2.AgreementTerms, by: User | None = None
) -> agreements_pb2.Agreement:
    """Proposed by by (default: the first party's DPO); nobody has signed yet."""
    proposer = by or dpo(_org_id(proposed.parties[0].organisation))
    request = infoshare_pb2.ProposeAgreementRequest(terms=proposed)
    return await call(svc, "ProposeAgreement", request, proposer)


async def sign_all(
    svc: ServiceUnderTest, agreement: agreements_pb2.Agreement
) -> agreements_pb2.Agreement:
    """The latest version signed by the DPO of every party that has not signed it yet."""
    listed = await call(
        svc,
        "ListAgreementVersions",
        infoshare_pb2.ListAgreementVersionsRequest(parent=agreement.name),
        dpo(_org_id(agreement.terms.parties[0].organisation)),
    )
    latest = listed.versions[-1]
    signed = agreement
    for party in latest.terms.parties:
        if not party.signed_by:
            request = infoshare_pb2.SignAgreementRequest(
                name=agreement.name, version=latest.version
            )
            signed = await call(svc, "SignAgreement", request, dpo(_org_id(party.organisation)))
    return signed


async def active_agreement(
    svc: ServiceUnderTest, proposed: agreements_pb2.AgreementTerms
) -> agreements_pb2.Agreement:
    """An agreement on these terms, proposed and signed by every party's DPO: active."""
    return await sign_all(svc, await propose_agreement(svc, proposed))


async def attest_training(
    svc: ServiceUnderTest,
    who: User,
    *,
    completed_on: str = "",
    course: str = "Data protection essentials",
) -> shares_pb2.TrainingAttestation:
    """who attests training completed on completed_on (default: 30 days before TODAY)."""
    day = completed_on or (TODAY - timedelta(days=30)).isoformat()
    request = infoshare_pb2.AttestTrainingRequest(course=course, completed_on=day)
    return await call(svc, "AttestTraining", request, who)
