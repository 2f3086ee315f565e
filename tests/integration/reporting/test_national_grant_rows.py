"""Grant reports belong to their call's managers: a national reviewer of the same body never sees
them in the national view, while administrators see their matrix rows; a grantee's asks are for
its grant manager, not requests for national support."""

from __future__ import annotations

from services.common import demo_ids
from services.reporting.domain.reports import Narrative, ReportContent, SupportKind, SupportRequest
from services.reporting.queries.national.matrix import MatrixRows, compliance_matrix, matrix_query
from services.reporting.queries.national.scope import load_subtree
from services.reporting.queries.national.support import SupportFilter, support_items
from services.reporting.queries.reports import find_report
from tests.integration.reporting.conftest import ADMIN, COUNTRY, CSO, NOW, REVIEWER
from tests.integration.reporting.report_setup import award, create, fill, submit

SECRET = "Training on a mentor misconduct case"


async def _grant_report_of_a_call_centre_manages(deps) -> str:
    grant = await award(deps, manager_org=demo_ids.CENTRE)
    report_id = (await create(deps, CSO, grant.obligation_id)).report.id
    asks = (SupportRequest("", SupportKind.TRAINING, SECRET),)
    content = ReportContent(narrative=Narrative("a", "b", "c"), support_requests=asks)
    await fill(deps, CSO, report_id, content, "narrative", "support_requests")
    await submit(deps, CSO, report_id)
    return report_id


async def _seen(deps, actor) -> tuple[set[str], list[str]]:
    async with deps.sessions() as session:
        q = await matrix_query(
            session, actor, NOW.date(), jurisdiction_id=COUNTRY, cycles=[], last_cycles=0,
            rows=MatrixRows.PLACES, kind=None,
        )  # fmt: skip
        matrix = await compliance_matrix(session, q, actor)
        subtree = await load_subtree(session, COUNTRY)
        asks = await support_items(session, SupportFilter(subtree), actor, page_size=0, token="")
    return {r.organisation_id for r in matrix.rows}, [i.request.description for i in asks.items]


async def test_a_national_reviewer_sees_no_grant_rows_an_admin_does(reporting_deps, places):
    report_id = await _grant_report_of_a_call_centre_manages(reporting_deps)
    assert await _seen(reporting_deps, REVIEWER) == (set(), [])
    orgs, asks = await _seen(reporting_deps, ADMIN)
    assert demo_ids.BRIDGES in orgs
    assert asks == []
    async with reporting_deps.sessions() as session:
        kept = await find_report(session, report_id)
    assert kept is not None
    assert [s.description for s in kept.report.content.support_requests] == [SECRET]
