"""Every rule an application must meet to be submitted, each in words an applicant understands."""

from __future__ import annotations

from services.common.currencies import format_money
from services.common.errors import ViolationCollector
from services.common.money import BPS_WHOLE, share_bps
from services.grants.domain import percent
from services.grants.domain.applications import Application, BudgetSummary
from services.grants.domain.calls import Call, MatchKind


def content_problems(call: Call, app: Application, summary: BudgetSummary) -> ViolationCollector:
    """Completeness, amounts, M&E and match rules (eligibility and timing are checked apart)."""
    e = ViolationCollector()
    c, t = app.content, call.terms
    e.require(bool(c.title.strip()), "application.title", "give the application a title")
    levels = t.eligibility.prevention_levels
    if levels and not set(c.prevention_levels) & set(levels):
        wanted = ", ".join(p.value for p in levels)
        e.add(
            "application.prevention_levels",
            f"the application addresses none of the call's prevention levels ({wanted})",
        )
    if not c.budget_lines:
        e.add("application.budget_lines", "the budget has no lines")
    for i, b in enumerate(c.budget_lines):
        e.require(b.category is not None, f"application.budget_lines[{i}].category", "choose one")
    _requested(call, app, summary, e)
    _monitoring(call, summary, e)
    _match(call, app, summary, e)
    return e


def _requested(call: Call, app: Application, s: BudgetSummary, e: ViolationCollector) -> None:
    asked, t = app.content.requested_amount, call.terms
    field = "application.requested_amount"
    if asked is None or asked.minor_units == 0:
        e.add(field, "state the amount you request")
        return
    if t.min_award is not None and asked.minor_units < t.min_award.minor_units:
        e.add(field, f"requested amount is below the minimum award of {format_money(t.min_award)}")
    if t.max_award is not None and asked.minor_units > t.max_award.minor_units:
        e.add(field, f"requested amount is above the maximum award of {format_money(t.max_award)}")
    if s.total_cost.minor_units and asked.minor_units > (s.total_cost - s.match_total).minor_units:
        gap = format_money(s.total_cost - s.match_total)
        e.add(
            field,
            f"requested amount {format_money(asked)} is more than the project cost minus your "
            f"match funding ({gap}); you may request at most that",
        )


def _monitoring(call: Call, s: BudgetSummary, e: ViolationCollector) -> None:
    need = call.terms.min_monitoring_evaluation_bps
    if need and s.total_cost.minor_units and s.monitoring_evaluation_bps < need:
        e.add(
            "application.budget_lines",
            f"monitoring and evaluation is {percent(s.monitoring_evaluation_bps)} of the budget; "
            f"the call asks for at least {percent(need)}",
        )


def _match(call: Call, app: Application, s: BudgetSummary, e: ViolationCollector) -> None:
    rule = call.terms.match_rule
    for i, m in enumerate(app.content.match_commitments):
        path = f"application.match_commitments[{i}]"
        who = m.source_label[:60]
        e.require(m.kind is not None, f"{path}.kind", f"say whether the match from {who} is cash")
        e.require(m.amount.minor_units > 0, f"{path}.amount", f"the match from {who} has no amount")
        e.require(
            bool(m.source_org_id or m.source_name.strip()), f"{path}.source_name", "name the source"
        )
        ref = bool(m.commitment_reference.strip())
        e.require(ref, f"{path}.commitment_reference", f"the match from {who} needs a reference")
        if m.kind is not None and not rule.allows(m.kind):
            kinds = " and ".join(k.value.replace("_", "-") for k in rule.allowed_kinds)
            e.add(f"{path}.kind", f"the match from {who} is {m.kind.value.replace('_', '-')}; "
                  f"this call counts {kinds} match only")  # fmt: skip
    cost = s.total_cost.minor_units
    if not rule.min_match_bps or not cost:
        return
    if s.match_bps < rule.min_match_bps:
        e.add(
            "application.match_commitments",
            f"match funding is {percent(s.match_bps)} of the project cost; "
            f"the call asks for at least {percent(rule.min_match_bps)}",
        )
        return
    _in_kind_cap(call, s, e)


def _in_kind_cap(call: Call, s: BudgetSummary, e: ViolationCollector) -> None:
    """In-kind counts towards the required match only up to the cap; cash must cover the rest."""
    rule = call.terms.match_rule
    if not rule.in_kind_cap_bps or MatchKind.IN_KIND not in (
        rule.allowed_kinds or (MatchKind.IN_KIND,)
    ):
        return
    required = -(-s.total_cost.minor_units * rule.min_match_bps // BPS_WHOLE)
    cap = required * rule.in_kind_cap_bps // BPS_WHOLE
    counted = s.cash_match.minor_units + min(s.in_kind_match.minor_units, cap)
    if counted < required:
        e.add(
            "application.match_commitments",
            f"in-kind match is {percent(share_bps(s.in_kind_match.minor_units, required))} of the "
            f"required match; at most {percent(rule.in_kind_cap_bps)} may be in kind",
        )
