"""Where each kind of request leaves its effect, as SQL over the services' schemas. Every query
gives (the request's unique value, rows) for the values bound to `:run`, a LIKE pattern naming
the kind's values in this run (`<run>-<tag>-%`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Effect:
    """The tag in the values of a kind of request and its places: name -> SQL."""

    tag: str
    places: dict[str, str]


PLAN_TITLE = "v.content->>'title'"
CURRENT_VERSION = (
    "JOIN reporting.plan_versions v ON v.plan_id = a.id AND v.number = a.current_version"
)
AWARDS = "FROM grants.awards a JOIN grants.applications p ON p.id = a.application_id"
REPORTS = (
    "FROM reporting.progress_reports r JOIN reporting.action_plans a ON a.id = r.plan_id "
    + CURRENT_VERSION
)


def _sum_is_award(table: str) -> str:
    """The award's parts in table add up to its amount."""
    return f"(SELECT sum(x.amount) FROM grants.{table} x WHERE x.award_id = a.id) = a.amount"


EFFECTS = {
    "organisation": Effect(
        "org",
        {
            "registry.organisations": (
                "SELECT display_name, count(*) FROM registry.organisations"
                " WHERE display_name LIKE :run GROUP BY 1"
            ),
            "grants.registry_organisations (read model)": (
                "SELECT display_name, count(*) FROM grants.registry_organisations"
                " WHERE display_name LIKE :run GROUP BY 1"
            ),
            "reporting.known_organisations (read model)": (
                "SELECT display_name, count(*) FROM reporting.known_organisations"
                " WHERE display_name LIKE :run GROUP BY 1"
            ),
        },
    ),
    "application": Effect(
        "app",
        {
            "grants.applications": (
                "SELECT title, count(*) FROM grants.applications WHERE title LIKE :run GROUP BY 1"
            ),
        },
    ),
    "application submitted": Effect(
        "app",
        {
            "grants.applications submitted": (
                "SELECT title, count(*) FROM grants.applications"
                " WHERE state = 'submitted' AND title LIKE :run GROUP BY 1"
            ),
        },
    ),
    "plan": Effect(
        "plan",
        {
            "reporting.action_plans": (
                f"SELECT {PLAN_TITLE}, count(*) FROM reporting.action_plans a {CURRENT_VERSION}"
                f" WHERE {PLAN_TITLE} LIKE :run GROUP BY 1"
            ),
        },
    ),
    "plan submitted": Effect(
        "plan",
        {
            "reporting.action_plans submitted": (
                f"SELECT {PLAN_TITLE}, count(*) FROM reporting.action_plans a {CURRENT_VERSION}"
                f" WHERE a.state = 'submitted' AND {PLAN_TITLE} LIKE :run GROUP BY 1"
            ),
        },
    ),
    "deadline call opened": Effect(
        "deadline",
        {
            "grants.calls closed": (
                "SELECT title, count(*) FROM grants.calls"
                " WHERE state = 'closed' AND title LIKE :run GROUP BY 1"
            ),
            "grants.audit_log closed at deadline": (
                "SELECT c.title, count(*) FROM grants.calls c JOIN grants.audit_log l"
                " ON l.resource = 'calls/' || c.id AND l.action = 'close_at_deadline'"
                " AND l.occurred_at >= c.closes_at WHERE c.title LIKE :run GROUP BY 1"
            ),
        },
    ),
    "award": Effect(
        "award",
        {
            "grants.awards": (
                f"SELECT p.title, count(*) {AWARDS} WHERE p.title LIKE :run GROUP BY 1"
            ),
            "grants.applications awarded": (
                "SELECT title, count(*) FROM grants.applications"
                " WHERE state = 'awarded' AND title LIKE :run GROUP BY 1"
            ),
            "grants.award_funder_shares sum to award": (
                f"SELECT p.title, count(*) {AWARDS} WHERE p.title LIKE :run"
                f" AND {_sum_is_award('award_funder_shares')} GROUP BY 1"
            ),
            "grants.award_tranches as planned": (
                f"SELECT p.title, count(*) {AWARDS} JOIN grants.calls c ON c.id = a.call_id"
                f" WHERE p.title LIKE :run AND {_sum_is_award('award_tranches')}"
                " AND (SELECT count(*) FROM grants.award_tranches t WHERE t.award_id = a.id)"
                " = json_array_length(c.tranche_plan) GROUP BY 1"
            ),
            "reporting.known_awards (read model)": (
                f"SELECT p.title, count(*) {AWARDS} JOIN reporting.known_awards k ON k.id = a.id"
                " WHERE p.title LIKE :run GROUP BY 1"
            ),
            "reporting.obligations of the award": (
                f"SELECT p.title, count(*) {AWARDS} JOIN reporting.obligations o"
                " ON o.award_id = a.id WHERE p.title LIKE :run GROUP BY 1"
            ),
        },
    ),
    "report plan approved": Effect(
        "report",
        {
            "reporting.obligations of the plan": (
                f"SELECT {PLAN_TITLE}, count(*) FROM reporting.action_plans a {CURRENT_VERSION}"
                f" JOIN reporting.obligations o ON o.plan_id = a.id"
                f" WHERE a.state = 'approved' AND {PLAN_TITLE} LIKE :run GROUP BY 1"
            ),
        },
    ),
    "report accepted": Effect(
        "report",
        {
            "reporting.progress_reports accepted": (
                f"SELECT {PLAN_TITLE}, count(*) {REPORTS}"
                f" WHERE r.state = 'accepted' AND {PLAN_TITLE} LIKE :run GROUP BY 1"
            ),
            "reporting.audit_log accept": (
                f"SELECT {PLAN_TITLE}, count(*) {REPORTS} JOIN reporting.audit_log l"
                " ON l.resource = 'progressReports/' || r.id AND l.action = 'accept'"
                f" WHERE {PLAN_TITLE} LIKE :run GROUP BY 1"
            ),
        },
    ),
}
