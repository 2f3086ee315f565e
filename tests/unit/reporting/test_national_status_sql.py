"""The SQL CASE the national view counts with agrees with domain compliance_status for every
report state before the due date, on it, between due and lock dates, on the lock date and after,
on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Date, String, literal, select, union_all

from services.reporting.domain.compliance import ReportState, compliance_status
from services.reporting.queries.national.status import status_sql

DUE = date(2026, 1, 30)
LOCK = date(2026, 2, 13)
DAYS = {
    "before due": DUE - timedelta(days=20),
    "on due": DUE,
    "between due and lock": DUE + timedelta(days=1),
    "on lock": LOCK,
    "after lock": LOCK + timedelta(days=1),
}


async def test_sql_status_agrees_with_the_domain_function(db_engine) -> None:
    rows = union_all(
        *(
            select(
                literal(s.value, String).label("state"),
                literal(DUE, Date).label("due_on"),
                literal(LOCK, Date).label("lock_on"),
            )
            for s in ReportState
        )
    ).subquery("expected")
    for what, day in DAYS.items():
        query = select(rows.c.state, status_sql(rows.c.state, rows.c.due_on, rows.c.lock_on, day))
        async with db_engine.connect() as conn:
            found = dict((await conn.execute(query)).all())
        want = {s.value: compliance_status(s, DUE, LOCK, day).value for s in ReportState}
        assert found == want, what
