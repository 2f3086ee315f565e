"""The reports an officer owes, told apart in the "Report to open" box: two plans due in the
same cycle read differently, and two that would still read alike end with their obligation."""

from __future__ import annotations

from nlc.common.v1.common_pb2 import DateRange
from nlc.reporting.v1 import cycles_pb2 as pb
from ui.report_choice import identity, option_labels, subject

CYCLE = pb.ReportingCycle(
    name="reportingCycles/2026-H1",
    code="2026-H1",
    period=DateRange(start_date="2026-01-01", end_date="2026-06-30"),
)
CYCLES = {CYCLE.name: CYCLE}
PLACES = {"jurisdictions/rv": "Riverton", "jurisdictions/rv-n": "Riverton North"}
PLAN = pb.OBLIGATION_KIND_ACTION_PLAN


def _expected(obligation: str, place: str) -> pb.ExpectedReport:
    return pb.ExpectedReport(
        obligation=f"reportingObligations/{obligation}",
        cycle=CYCLE.name,
        jurisdiction=place,
        due_date="2026-07-30",
        kind=PLAN,
    )


def _obligation(name: str, **about: str) -> pb.ReportingObligation:
    return pb.ReportingObligation(name=f"reportingObligations/{name}", **about)


def test_a_report_names_what_it_reports_on_where_and_for_which_period() -> None:
    titles = {"actionPlans/p1": "Riverton Together", "calls/c1": "Small Grants 2026"}
    assert subject(PLAN, _obligation("o1", action_plan="actionPlans/p1"), titles) == (
        "Action plan “Riverton Together”"
    )
    grant = _obligation("o2", call="calls/c1", award="awards/a1")
    assert subject(pb.OBLIGATION_KIND_GRANT, grant, titles) == "Grant “Small Grants 2026”"
    assert subject(PLAN, None, titles) == "Action plan"

    due = _expected("o1", "jurisdictions/rv")
    labels = option_labels(
        [due], CYCLES, {due.obligation: "Action plan “Riverton Together”"}, PLACES
    )
    assert labels == {
        identity(due): "2026-H1, due 30 Jul 2026 · Action plan “Riverton Together” · Riverton · "
        "1 Jan 2026 to 30 Jun 2026"
    }


def test_two_plans_due_in_the_same_cycle_read_differently() -> None:
    city, north = _expected("o1", "jurisdictions/rv"), _expected("o2", "jurisdictions/rv-n")
    subjects = {
        city.obligation: "Action plan “Riverton Together”",
        north.obligation: "Action plan “North district plan”",
    }
    labels = option_labels([city, north], CYCLES, subjects, PLACES)
    assert len(set(labels.values())) == 2
    assert labels[identity(north)] == (
        "2026-H1, due 30 Jul 2026 · Action plan “North district plan” · Riverton North · "
        "1 Jan 2026 to 30 Jun 2026"
    )
    assert all(label.startswith("2026-H1, due 30 Jul 2026 · ") for label in labels.values())


def test_two_that_would_read_alike_end_with_their_obligation() -> None:
    first, second = _expected("o1", "jurisdictions/rv"), _expected("o2", "jurisdictions/rv")
    same = "Grant “Small Grants 2026”"
    labels = option_labels(
        [first, second], CYCLES, dict.fromkeys([first.obligation, second.obligation], same), PLACES
    )
    assert labels[identity(first)].endswith(
        "· Riverton · 1 Jan 2026 to 30 Jun 2026 · obligation o1"
    )
    assert labels[identity(second)].endswith("· obligation o2")


def test_what_is_not_known_is_left_out() -> None:
    unplaced = _expected("o3", "")
    assert option_labels([unplaced], CYCLES, {}, PLACES) == {
        identity(unplaced): "2026-H1, due 30 Jul 2026 · 1 Jan 2026 to 30 Jun 2026"
    }
