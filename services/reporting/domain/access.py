"""Who may see and change which plans, reports and national views (role + organisation)."""

from __future__ import annotations

from collections.abc import Iterable

from services.common.auth import Principal, Role

ADMINS = (Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN)
WRITERS = (Role.CITY_OFFICER, Role.CSO_MEMBER)
PLAN_REVIEWERS = (Role.NATIONAL_REVIEWER,)
GRANT_REPORT_REVIEWERS = (Role.GRANT_MANAGER,)


def sees_all(p: Principal) -> bool:
    """National and platform administrators see every plan, report and view."""
    return p.has_any(*ADMINS)


def may_write(p: Principal, owner_org_id: str) -> bool:
    """A city officer or CSO member writes its own organisation's plans and reports."""
    return p.org_id == owner_org_id and p.has_any(*WRITERS)


def may_review(p: Principal, reviewing_org_id: str | None, *, grant: bool) -> bool:
    """A national reviewer reviews what its body oversees; a grant manager its calls' reports."""
    if not reviewing_org_id or p.org_id != reviewing_org_id:
        return sees_all(p)
    return p.has_any(*(GRANT_REPORT_REVIEWERS if grant else PLAN_REVIEWERS)) or sees_all(p)


def may_read(
    p: Principal,
    *,
    owner_org_id: str,
    reviewing_org_id: str | None,
    grant: bool,
    funder_org_ids: Iterable[str] = (),
) -> bool:
    """Owner, reviewer, administrators, and for grant reports the award's funders."""
    if sees_all(p) or (p.org_id == owner_org_id and p.has_any(*WRITERS)):
        return True
    if may_review(p, reviewing_org_id, grant=grant):
        return True
    return grant and p.has_any(Role.FUNDER) and p.org_id in set(funder_org_ids)


def reviewing_scope(p: Principal) -> str | None:
    """The reviewing organisation whose places a national view shows; None means all places."""
    return None if sees_all(p) else p.org_id
