"""CSV building blocks of the national exports: cells a spreadsheet will not run as formulas,
plain numbers, file names from the jurisdiction's code and the day."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from services.reporting.domain.compliance import ComplianceStatus
from services.reporting.queries.national.matrix import Cell, MatrixRow
from services.reporting.queries.national.scope import Subtree
from services.reporting.queries.national_csv import (
    NationalView,
    children_csv,
    filename,
    number_cell,
    text_cell,
)


@pytest.mark.parametrize(
    ("given", "cell"),
    [
        ("Youth centre", "Youth centre"),
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
    ],
)
def test_text_cells_never_start_a_formula(given, cell):
    assert text_cell(given) == cell


@pytest.mark.parametrize(
    ("value", "cell"), [(1500.0, "1500"), (12.5, "12.5"), (1 / 3, "0.333333"), (6e6, "6000000")]
)
def test_numbers_are_written_plainly(value, cell):
    assert number_cell(value) == cell


def test_file_names_carry_the_view_the_code_and_the_day():
    place = Subtree("id-1", "AR N/1", "North", "/id-1/")
    day = date(2026, 3, 2)
    assert (
        filename(NationalView.COMPLIANCE_MATRIX, place, day) == "compliance-AR_N_1-2026-03-02.csv"
    )
    assert filename(NationalView.SUPPORT_REQUESTS, place, day).startswith("support-requests-")


def test_child_rows_become_one_line_per_cycle_with_every_status():
    row = MatrixRow(
        "id-1",
        "=North",
        [Cell("2026-H1", {ComplianceStatus.LATE: 2, ComplianceStatus.ACCEPTED: 1})],
    )
    found = list(csv.DictReader(io.StringIO(children_csv([row]).decode())))
    assert found == [
        {
            "jurisdiction_id": "id-1",
            "place": "'=North",
            "cycle": "2026-H1",
            "accepted": "1",
            "submitted": "0",
            "returned": "0",
            "late": "2",
            "missing": "0",
            "not_yet_due": "0",
            "total": "3",
        }
    ]
