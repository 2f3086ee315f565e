"""Who may apply to a call: applicant kind, verification, area, in an applicant's words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.common.vocabulary import OrganisationKind, PreventionLevel, VerificationState

MAX_TREE_DEPTH = 32


@dataclass(frozen=True)
class Eligibility:
    """A call's applicant rules; no kinds means CSOs only, no jurisdiction means anywhere."""

    applicant_kinds: tuple[OrganisationKind, ...] = ()
    must_be_verified: bool = True
    jurisdiction_id: str | None = None
    prevention_levels: tuple[PreventionLevel, ...] = ()

    @property
    def kinds(self) -> tuple[OrganisationKind, ...]:
        return self.applicant_kinds or (OrganisationKind.CSO,)


@dataclass(frozen=True)
class KnownOrganisation:
    """What the grants read model knows of a registry organisation."""

    id: str
    display_name: str
    kind: OrganisationKind | None
    verification_state: VerificationState
    jurisdiction_id: str | None


@dataclass(frozen=True)
class Area:
    """A call's area: its root unit's name and the parent link of every known unit."""

    root_id: str
    display_name: str
    parents: Mapping[str, str | None]

    def contains(self, unit_id: str | None) -> bool:
        """True when unit_id is the root or below it (following parent links)."""
        current = unit_id
        for _ in range(MAX_TREE_DEPTH):
            if current is None:
                return False
            if current == self.root_id:
                return True
            current = self.parents.get(current)
        return False


def kind_label(kind: OrganisationKind) -> str:
    return "CSOs" if kind == OrganisationKind.CSO else kind.value.replace("_", " ")


def _verification_reason(state: VerificationState) -> str | None:
    if state == VerificationState.VERIFIED:
        return None
    if state == VerificationState.SUSPENDED:
        return "your organisation's verification is suspended; it cannot apply until reinstated"
    if state == VerificationState.REJECTED:
        return "your organisation's verification was rejected, so it cannot apply"
    return "your organisation is not verified yet"


def applicant_reasons(
    rules: Eligibility, org: KnownOrganisation | None, area: Area | None
) -> list[str]:
    """Each rule the organisation fails, phrased for the applicant; empty when eligible."""
    if org is None:
        return ["your organisation is not known to the grants service yet; try again shortly"]
    reasons: list[str] = []
    if rules.must_be_verified:
        reason = _verification_reason(org.verification_state)
        if reason:
            reasons.append(reason)
    if org.kind not in rules.kinds:
        allowed = ", ".join(kind_label(k) for k in rules.kinds)
        own = org.kind.value.replace("_", " ") if org.kind else "of unknown kind"
        own = "CSO" if org.kind == OrganisationKind.CSO else own
        reasons.append(f"this call is open to {allowed} only; your organisation is {own}")
    if area is not None and not area.contains(org.jurisdiction_id):
        reasons.append(f"your organisation is outside the call's area ({area.display_name})")
    return reasons
