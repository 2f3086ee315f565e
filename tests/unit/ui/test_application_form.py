"""The application form without a browser: amounts as typed, what changed, and saving it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from nlc.common.v1.common_pb2 import Money
from nlc.grants.v1 import applications_pb2 as pb
from nlc.grants.v1 import calls_pb2
from ui import drafting
from ui.client import UiError
from ui.display import field_problems, renamed
from ui.formatting import major_units, minor_units, percent

CALL = calls_pb2.Call(name="calls/c1", id="c1", title="Fund", currency_code="EUR")


def _eur(minor: int) -> Money:
    return Money(currency_code="EUR", minor_units=minor)


def test_amounts_are_typed_in_major_units_and_sent_in_minor_units() -> None:
    assert minor_units(1234.56, "EUR") == 123456
    assert minor_units(0.1 + 0.2, "EUR") == 30
    assert minor_units(150000, "JPY") == 150000
    assert minor_units(None, "EUR") == 0
    assert minor_units(float("nan"), "EUR") == 0
    assert major_units(123456, "EUR") == 1234.56
    assert percent(2000) == "20%" and percent(625) == "6.25%"


def test_the_tables_round_trip_to_budget_lines_and_commitments() -> None:
    saved = pb.Application(
        budget_lines=[
            pb.BudgetLine(
                category=pb.BUDGET_CATEGORY_STAFF, description="Mentors", amount=_eur(600000)
            )
        ],
        match_commitments=[
            pb.MatchCommitment(
                id="m1",
                source_name="Trust",
                kind=calls_pb2.MATCH_KIND_CASH,
                amount=_eur(200000),
                state=pb.MATCH_STATE_CONFIRMED,
                evidence_reference="letter",
                commitment_reference="T-1",
            )
        ],
    )
    assert drafting.budget_lines(drafting.budget_frame(saved), "EUR") == list(saved.budget_lines)
    edited = drafting.match_frame(saved).assign(Amount=2500.0)
    (commitment,) = drafting.commitments(edited, saved, "EUR")
    assert commitment.amount.minor_units == 250000
    assert (
        commitment.state == pb.MATCH_STATE_CONFIRMED and commitment.evidence_reference == "letter"
    )
    row = dict.fromkeys(drafting.MATCH_COLUMNS) | {"Source": "Us", "Kind": "In kind", "Amount": 1.0}
    added = pd.DataFrame([row])
    (new,) = drafting.commitments(added, saved, "EUR")
    assert (new.id, new.kind, new.commitment_reference) == ("", calls_pb2.MATCH_KIND_IN_KIND, "")


def test_only_the_fields_that_changed_are_saved() -> None:
    saved = pb.Application(title="Mentors", requested_amount=_eur(100))
    same = pb.Application(title="Mentors", requested_amount=_eur(100))
    assert drafting.changed_paths(saved, same) == []
    wanted = pb.Application(title="Mentors", summary="Peer mentoring")
    assert drafting.changed_paths(saved, wanted) == ["summary", "requested_amount"]
    assert drafting.changed_paths(None, pb.Application()) == []


class FakeGrants:
    """The grants stub methods the form calls, answering like the service."""

    def __init__(self, failure: UiError | None = None) -> None:
        self.requests: list[Any] = []
        self.failure = failure

    def _answer(self, request: Any) -> pb.Application:
        self.requests.append(request)
        if self.failure:
            raise self.failure
        answer = pb.Application()
        answer.CopyFrom(request.application)
        answer.name, answer.etag = "applications/a1", str(len(self.requests))
        return answer

    CreateApplication = UpdateApplication = _answer


@pytest.fixture
def grants(monkeypatch: pytest.MonkeyPatch) -> FakeGrants:
    fake = FakeGrants()
    monkeypatch.setattr(drafting, "services", lambda: type("S", (), {"grants": fake})())
    monkeypatch.setattr(drafting, "call", lambda method, request: method(request))
    return fake


def test_the_first_change_creates_the_draft_and_later_ones_update_it(grants: FakeGrants) -> None:
    draft = drafting.Draft("new-1", CALL)
    assert drafting.save(draft, pb.Application()) is False and not grants.requests
    assert drafting.save(draft, pb.Application(title="Mentors"))
    created = grants.requests[0]
    assert isinstance(created, pb.CreateApplicationRequest)
    assert created.application.call == "calls/c1" and draft.saved_fields == ("title",)

    assert drafting.save(draft, pb.Application(title="Mentors", summary="Peer mentoring"))
    update = grants.requests[1]
    assert isinstance(update, pb.UpdateApplicationRequest)
    assert list(update.update_mask.paths) == ["summary"]
    assert (update.application.name, update.application.etag) == ("applications/a1", "1")
    assert draft.saved.etag == "2" and draft.error is None


def test_a_conflict_keeps_what_was_saved_and_says_so(grants: FakeGrants) -> None:
    draft = drafting.Draft("a1", CALL, saved=pb.Application(name="applications/a1", etag="3"))
    grants.failure = UiError("Someone changed this meanwhile.", code="ABORTED")
    assert drafting.save(draft, pb.Application(title="Mentors")) is False
    assert draft.error is grants.failure and draft.saved.etag == "3"


def test_problems_are_shown_at_their_fields_in_words() -> None:
    error = UiError(
        "the application cannot be submitted yet",
        {
            "application.budget_lines[2].category": "choose one",
            "application.budget_lines": "the budget has no lines",
            "application.title": "give the application a title",
        },
    )
    assert field_problems(error, "application.budget_lines", "Line") == [
        "Line 3, category: choose one",
        "the budget has no lines",
    ]
    assert field_problems(None, "application.title") == []
    decision = UiError("the awards cannot be made", {"items[0].amount": "is above the maximum"})
    assert renamed(decision, {"items[0]": "Mentors"}).field_violations == {
        "Mentors, amount": "is above the maximum"
    }
