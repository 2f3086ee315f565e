"""Who changed a call, application or award: visible to whoever may see it, and to auditors."""

from __future__ import annotations

import pytest

from nlc.grants.v1 import grants_pb2 as pb
from services.common.auth import Role, bind_principal
from services.common.errors import InvalidArgument, NotFound
from services.grants.api import GrantsServicer
from services.grants.deps import GrantsDeps
from tests.integration.grants.conftest import (
    APPLICANT,
    MANAGER,
    member,
    open_call,
    submitted_application,
)


async def _history(api: GrantsServicer, resource: str, actor) -> list[str]:
    with bind_principal(actor):
        reply = await api.ListAuditEntries(pb.ListAuditEntriesRequest(resource=resource), None)
    return [e.action for e in reply.entries]


async def test_an_application_history_shows_each_change_to_those_who_may_see_it(
    grants_deps: GrantsDeps,
) -> None:
    call = await open_call(grants_deps)
    app = await submitted_application(grants_deps, call.id)
    api = GrantsServicer(grants_deps)
    resource = f"applications/{app.id}"

    own = await _history(api, resource, APPLICANT)
    assert own[0] == "create" and own[-1] == "submit"
    assert await _history(api, resource, MANAGER) == own
    assert (
        await _history(api, resource, member("0b1c7a52-0000-4000-8000-000000000077", Role.AUDITOR))
        == own
    )
    with pytest.raises(NotFound):
        await _history(api, resource, member("0b1c7a52-0000-4000-8000-000000000099"))
    with pytest.raises(NotFound):
        await _history(api, "reviews/x", APPLICANT)
    with pytest.raises(InvalidArgument) as exc:
        await _history(api, "", APPLICANT)
    assert exc.value.violations[0].field == "resource"
    calls = await _history(api, f"calls/{call.id}", APPLICANT)
    assert "open" in calls
