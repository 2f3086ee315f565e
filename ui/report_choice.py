"""Telling apart the reports an organisation owes: each names its cycle and due date, what it
reports on (the action plan's or the call's title), the place and the period."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from nlc.registry.v1 import jurisdictions_pb2
from nlc.reporting.v1 import cycles_pb2, plans_pb2
from ui.client import PAGE_SIZE, call, services
from ui.display import remembered, short, words
from ui.formatting import date_text
from ui.grants import call_titles
from ui.paging import show_cut

CYCLE_PREFIX = "reportingCycles/"
PLAN_TITLES_KEY = "nlc_plan_titles"
PLACE_NAMES_KEY = "nlc_place_names"
SEPARATOR = " · "


def identity(expected: cycles_pb2.ExpectedReport) -> str:
    """What names an expected report across reruns, started or not."""
    return f"{expected.obligation}|{expected.cycle}"


def subject(
    kind: int, obligation: cycles_pb2.ReportingObligation | None, titles: dict[str, str]
) -> str:
    """'Action plan “Riverton Together”' or 'Grant “Small Grants 2026”'; the kind alone when
    the title is unknown."""
    about = obligation.action_plan or obligation.call if obligation else ""
    title = titles.get(about, "")
    kind_words = words(cycles_pb2.ObligationKind, kind)
    return f"{kind_words} “{title}”" if title else kind_words


def period_text(cycle: cycles_pb2.ReportingCycle) -> str:
    return f"{date_text(cycle.period.start_date)} to {date_text(cycle.period.end_date)}"


def option_label(
    expected: cycles_pb2.ExpectedReport, cycle: cycles_pb2.ReportingCycle, about: str, place: str
) -> str:
    """'2026-H1, due 30 Jul 2026 · Action plan “…” · Riverton · 1 Jan 2026 to 30 Jun 2026'
    (the state is not in it: the box keeps the text it showed)."""
    due = f"{expected.cycle.removeprefix(CYCLE_PREFIX)}, due {date_text(expected.due_date)}"
    return SEPARATOR.join(part for part in (due, about, place, period_text(cycle)) if part)


def option_labels(
    expected: Sequence[cycles_pb2.ExpectedReport],
    cycles: dict[str, cycles_pb2.ReportingCycle],
    subjects: dict[str, str],
    places: dict[str, str],
) -> dict[str, str]:
    """Each expected report's label by identity; two that would still read alike end with
    their obligations' ids."""
    plain = {
        identity(e): option_label(
            e, cycles[e.cycle], subjects.get(e.obligation, ""), places.get(e.jurisdiction, "")
        )
        for e in expected
    }
    seen = Counter(plain.values())
    labels = {}
    for e in expected:
        text = plain[identity(e)]
        alike = seen[text] > 1
        labels[identity(e)] = (
            f"{text}{SEPARATOR}obligation {short(e.obligation)}" if alike else text
        )
    return labels


def plan_titles(names: Iterable[str]) -> dict[str, str]:
    """Titles of action plans, remembered for the session; empty when one cannot be read."""

    def lookup(name: str) -> str:
        request = plans_pb2.GetActionPlanRequest(name=name)
        return call(services().reporting.GetActionPlan, request).title

    return remembered(PLAN_TITLES_KEY, names, lookup, lambda _: "")


def place_names(names: Iterable[str]) -> dict[str, str]:
    """Display names of places, remembered for the session; empty when one cannot be read."""

    def lookup(name: str) -> str:
        request = jurisdictions_pb2.GetJurisdictionRequest(name=name)
        return call(services().registry.GetJurisdiction, request).display_name

    return remembered(PLACE_NAMES_KEY, names, lookup, lambda _: "")


def report_subjects(expected: Iterable[cycles_pb2.ExpectedReport]) -> dict[str, str]:
    """What each expected report's obligation reports on, by obligation name."""
    request = cycles_pb2.ListReportingObligationsRequest(page_size=PAGE_SIZE)
    reply = call(services().reporting.ListReportingObligations, request)
    show_cut(reply, "reporting obligations", "the others are named by their kind only")
    obligations = {o.name: o for o in reply.obligations}
    titles = plan_titles(o.action_plan for o in obligations.values() if o.action_plan)
    titles |= call_titles(o.call for o in obligations.values() if o.call)
    return {e.obligation: subject(e.kind, obligations.get(e.obligation), titles) for e in expected}
