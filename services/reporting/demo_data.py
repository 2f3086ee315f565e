"""The reporting demo: Ardenia's three local governments, their plans and three cycles of reports.

Dates follow the clock: the plans start with the third-last cycle whose lock date has passed, so
the national view always shows three closed cycles (with on-time, late, returned and missing
reports) and the current one, not yet due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.common.demo_ids import LAKESIDE, PORT_SELEN, RIVERTON
from services.common.money import Money
from services.reporting.domain.plans import (
    Activity,
    Aggregation,
    AnchorKind,
    Direction,
    Disaggregation,
    Indicator,
    IndicatorLevel,
    PlanContent,
    ReviewComment,
    Target,
    TheoryOfChange,
)
from services.reporting.domain.reports import SupportKind

PLAN_IDS = {
    RIVERTON: "0b1c7a52-0004-4000-8000-000000000001",
    LAKESIDE: "0b1c7a52-0004-4000-8000-000000000002",
    PORT_SELEN: "0b1c7a52-0004-4000-8000-000000000003",
}
TITLES = {
    RIVERTON: "Riverton Together: prevention action plan",
    LAKESIDE: "Lakeside County cohesion plan",
    PORT_SELEN: "Port Selen safe harbour plan",
}
PLAN_CHANGES = ReviewComment(
    AnchorKind.INDICATOR,
    "I3",
    "Give the baseline year for recorded incidents and say which police data you use.",
)
PLAN_CHANGES_REASON = "The impact indicator needs a dated baseline before we can approve."
REPORT_RETURN = ReviewComment(
    AnchorKind.ACTIVITY, "A2", "Spend is above the activity's budget share; explain the overrun."
)
REPORT_RETURN_REASON = "Activity spend does not match the budget; please explain before we accept."


def _eur(major: int) -> Money:
    return Money("EUR", major * 100)


def plan_content(owner: str, framework_id: str, start: date, cycles: list[str]) -> PlanContent:
    """A three-year plan aligned to the national strategy, with targets for the given cycles."""
    end = date(start.year + 3, start.month, start.day).replace(day=1)
    end = date.fromordinal(end.toordinal() - 1)
    reach = [Target(code, 400.0 + 150 * i) for i, code in enumerate(cycles)]
    meetings = [Target(code, 6.0) for code in cycles]
    incidents = [Target(code, 9.0 - 0.5 * i) for i, code in enumerate(cycles)]
    return PlanContent(
        title=TITLES[owner],
        framework_id=framework_id,
        period_start=start,
        period_end=end,
        theory_of_change=TheoryOfChange(
            goal="Fewer hate incidents and more trust between neighbours of every background.",
            outcomes=("Young people resist hateful narratives", "Frontline staff refer early"),
            outputs=("Dialogue circles in every district", "Trained frontline practitioners"),
            assumptions=("Schools and youth clubs stay engaged", "Police share incident data"),
        ),
        activities=(
            Activity(
                "A1", "Youth dialogue circles", "P1", owner, (), start, end, _eur(60_000), None
            ),
            Activity(
                "A2",
                "Local prevention network meetings",
                "P3",
                owner,
                (),
                start,
                end,
                _eur(15_000),
                None,
            ),
            Activity(
                "A3",
                "Frontline practitioner training",
                "P2",
                owner,
                (),
                start,
                end,
                _eur(40_000),
                None,
            ),
        ),
        indicators=(
            Indicator(
                "I1",
                "Residents reached by prevention activities",
                "P1.OUT.1",
                IndicatorLevel.OUTPUT,
                "people",
                0.0,
                start,
                tuple(reach),
                Direction.UP,
                (Disaggregation.SEX, Disaggregation.AGE_GROUP),
                "Attendance sheets",
                Aggregation.SUM,
                "A1",
            ),
            Indicator(
                "I2",
                "Local prevention network meetings held",
                "P3.OUT.1",
                IndicatorLevel.OUTPUT,
                "meetings",
                0.0,
                start,
                tuple(meetings),
                Direction.UP,
                (),
                "Minutes",
                Aggregation.SUM,
                "A2",
            ),
            Indicator(
                "I3",
                "Recorded hate incidents per 100,000 residents",
                "P4.IM.1",
                IndicatorLevel.IMPACT,
                "incidents per 100,000",
                10.0,
                start,
                tuple(incidents),
                Direction.DOWN,
                (),
                "Police recorded crime",
                Aggregation.AVERAGE,
                "",
            ),
        ),
    )


@dataclass(frozen=True)
class DemoReport:
    """How one place's report for one closed cycle went (cycle: 0, 1, 2 = oldest first)."""

    owner: str
    cycle: int
    # "on_time", "late", or None when it was never sent (missing).
    sent: str | None
    returned_first: bool = False
    # "accepted", "submitted" (awaiting review) or "returned" (not yet resubmitted).
    outcome: str = "accepted"
    support: tuple[tuple[SupportKind, str, int], ...] = ()


REPORTS = (
    DemoReport(RIVERTON, 0, "on_time"),
    DemoReport(RIVERTON, 1, "on_time", returned_first=True),
    DemoReport(RIVERTON, 2, "late", support=((SupportKind.TRAINING,
               "Train school staff to recognise online radicalisation", 0),)),
    DemoReport(LAKESIDE, 0, "on_time"),
    DemoReport(LAKESIDE, 2, "on_time", outcome="submitted", support=(
        (SupportKind.FUNDING, "Co-fund a county youth worker post", 25_000),
        (SupportKind.GUIDANCE, "Guidance on sharing referral data with schools", 0))),
    DemoReport(PORT_SELEN, 0, "late", support=((SupportKind.COORDINATION,
               "Connect us with the port authority's community programme", 0),)),
    DemoReport(PORT_SELEN, 1, "on_time", returned_first=True, outcome="returned"),
)  # fmt: skip
