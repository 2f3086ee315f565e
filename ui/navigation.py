"""Which workspaces each role sees, as the pages of `st.navigation`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from services.common.auth import Role

PAGES_DIR = Path(__file__).parent / "pages"


@dataclass(frozen=True)
class Workspace:
    """One page: its script under ui/pages, its title, and who may open it."""

    script: str
    title: str
    icon: str
    purpose: str
    roles: frozenset[str]


def _roles(*roles: Role) -> frozenset[str]:
    return frozenset(role.value for role in roles)


HOME = Workspace("home.py", "Home", ":material/home:", "Who you are and what you can do.", _roles())
WORKSPACES = (
    Workspace(
        "national_overview.py",
        "National overview",
        ":material/grid_view:",
        "See which places have reported for each cycle.",
        _roles(Role.NATIONAL_REVIEWER, Role.NATIONAL_ADMIN),
    ),
    Workspace(
        "plan_review.py",
        "Plan review",
        ":material/assignment_turned_in:",
        "Read submitted action plans with what changed, then approve them or request changes.",
        _roles(Role.NATIONAL_REVIEWER, Role.NATIONAL_ADMIN),
    ),
    Workspace(
        "report_review.py",
        "Report review",
        ":material/fact_check:",
        "Read submitted progress reports and accept them or return them with a reason.",
        _roles(Role.NATIONAL_REVIEWER, Role.NATIONAL_ADMIN, Role.GRANT_MANAGER),
    ),
    Workspace(
        "action_plans.py",
        "Action plan",
        ":material/assignment:",
        "Write your action plan, submit it for review and answer the reviewer's requests.",
        _roles(Role.CITY_OFFICER),
    ),
    Workspace(
        "city_reports.py",
        "Reports due",
        ":material/event_note:",
        "See the reports your organisation owes on its action plan or its grants, and write them.",
        _roles(Role.CITY_OFFICER, Role.CSO_MEMBER),
    ),
    Workspace(
        "frameworks.py",
        "Frameworks",
        ":material/menu_book:",
        "Read national frameworks, comment during consultation, acknowledge adopted ones.",
        _roles(Role.CITY_OFFICER, Role.NATIONAL_ADMIN, Role.NATIONAL_REVIEWER),
    ),
    Workspace(
        "cso_calls.py",
        "Open calls",
        ":material/campaign:",
        "Find calls for funding your organisation can apply to.",
        _roles(Role.CSO_MEMBER),
    ),
    Workspace(
        "cso_apply.py",
        "Apply",
        ":material/edit_document:",
        "Write an application to an open call; it is saved as you type.",
        _roles(Role.CSO_MEMBER),
    ),
    Workspace(
        "cso_applications.py",
        "My applications",
        ":material/folder_open:",
        "Follow your organisation's applications and what became of them.",
        _roles(Role.CSO_MEMBER),
    ),
    Workspace(
        "manager_calls.py",
        "Calls",
        ":material/account_balance:",
        "Follow your calls, their funders, pledges and what the pool has left.",
        _roles(Role.GRANT_MANAGER),
    ),
    Workspace(
        "match_funding.py",
        "Match funding",
        ":material/volunteer_activism:",
        "Record match funding as confirmed or received, with its evidence.",
        _roles(Role.CSO_MEMBER, Role.GRANT_MANAGER),
    ),
    Workspace(
        "reviewer_assignment.py",
        "Assign reviewers",
        ":material/group_add:",
        "Give submitted applications to members of the call's review panel.",
        _roles(Role.GRANT_MANAGER),
    ),
    Workspace(
        "review_panels.py",
        "Review panels",
        ":material/groups:",
        "Join the review panel of a call.",
        _roles(Role.GRANT_REVIEWER),
    ),
    Workspace(
        "my_reviews.py",
        "My reviews",
        ":material/rate_review:",
        "Score the applications assigned to you, or declare a conflict of interest.",
        _roles(Role.GRANT_REVIEWER),
    ),
    Workspace(
        "ranking.py",
        "Ranking",
        ":material/leaderboard:",
        "See a call's applications ranked by their reviewers' weighted scores.",
        _roles(Role.GRANT_MANAGER, Role.FUNDER),
    ),
    Workspace(
        "award_decision.py",
        "Award decisions",
        ":material/gavel:",
        "Award applications within what the pool has left.",
        _roles(Role.GRANT_MANAGER),
    ),
    Workspace(
        "awards.py",
        "Awards and tranches",
        ":material/payments:",
        "Sign awards and release their tranches.",
        _roles(Role.GRANT_MANAGER),
    ),
    Workspace(
        "funder_ledger.py",
        "Funding",
        ":material/savings:",
        "See what your pledges committed and paid, call by call, and the awards you fund.",
        _roles(Role.FUNDER),
    ),
    Workspace(
        "open_data.py",
        "360Giving export",
        ":material/public:",
        "Download the awards as 360Giving open data.",
        _roles(Role.GRANT_MANAGER, Role.FUNDER, Role.AUDITOR),
    ),
    Workspace(
        "share_inbox.py",
        "Inbox",
        ":material/inbox:",
        "Read the information other organisations shared with you.",
        _roles(Role.INFOSHARE_OFFICER),
    ),
    Workspace(
        "share_send.py",
        "Send a share",
        ":material/send:",
        "Share a record with partner organisations under an agreement.",
        _roles(Role.INFOSHARE_OFFICER),
    ),
    Workspace(
        "share_sent.py",
        "Sent",
        ":material/outbox:",
        "Follow what you shared, and correct or revoke it.",
        _roles(Role.INFOSHARE_OFFICER),
    ),
    Workspace(
        "training.py",
        "Training",
        ":material/school:",
        "Attest your data-protection training and see whether it is current.",
        _roles(Role.INFOSHARE_OFFICER, Role.DATA_PROTECTION_OFFICER),
    ),
    Workspace(
        "agreements.py",
        "Agreements",
        ":material/handshake:",
        "Read your organisation's information-sharing agreements; its data-protection officers "
        "propose, sign and review them.",
        _roles(Role.DATA_PROTECTION_OFFICER, Role.INFOSHARE_OFFICER, Role.AUDITOR),
    ),
    Workspace(
        "subject_requests.py",
        "Subject requests",
        ":material/person_search:",
        "Find, erase or re-identify what your organisation shared about a person.",
        _roles(Role.DATA_PROTECTION_OFFICER),
    ),
    Workspace(
        "audit.py",
        "Audit trail",
        ":material/policy:",
        "Read the audit trail of information sharing and verify its chain.",
        _roles(Role.AUDITOR),
    ),
)


def workspaces_for(roles: Iterable[str]) -> list[Workspace]:
    """The workspaces open to someone holding roles, in menu order (Home not included)."""
    held = frozenset(roles)
    return [workspace for workspace in WORKSPACES if workspace.roles & held]


def workspace(script: str) -> Workspace:
    """The workspace running script, for links between pages."""
    return next(w for w in (HOME, *WORKSPACES) if w.script == script)


def pages_for(roles: Iterable[str]) -> list[st.Page]:
    """Home first, then each workspace open to roles."""
    return [page_of(HOME, default=True), *(page_of(w) for w in workspaces_for(roles))]


def page_of(workspace: Workspace, *, default: bool = False) -> st.Page:
    """The Streamlit page running workspace's script."""
    return st.Page(
        PAGES_DIR / workspace.script, title=workspace.title, icon=workspace.icon, default=default
    )
