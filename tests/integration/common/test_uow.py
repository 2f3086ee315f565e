"""A unit of work commits state, events and audit rows together, or none of them."""

from __future__ import annotations

from google.protobuf.wrappers_pb2 import StringValue
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.audit import audit_history
from services.common.auth import Principal
from services.common.clock import FixedClock
from services.common.kit_tables import audit_log, outbox
from services.common.uow import UnitOfWork, uow_factory
from tests.integration.common.conftest import sample_item

ALICE = Principal("sub-alice", "alice", frozenset({"city-officer"}), "org-1")


async def count(sessions: async_sessionmaker[AsyncSession], table) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def create_item(uow: UnitOfWork, name: str) -> str:
    await uow.session.execute(insert(sample_item).values(id=name, name=name))
    event_id = uow.emit("nlc.sample.item.created", StringValue(value=name))
    uow.audit(f"items/{name}", "create", {"name": name})
    return event_id


async def test_commit_writes_state_event_and_audit_together(sessions, clock: FixedClock):
    async with UnitOfWork(sessions, clock, ALICE) as uow:
        event_id = await create_item(uow, "a")
        await uow.commit()

    async with sessions() as session:
        row = (await session.execute(select(outbox))).one()
    assert (row.id, row.subject, row.event_type) == (
        event_id,
        "nlc.sample.item.created",
        "google.protobuf.StringValue",
    )
    assert StringValue.FromString(row.payload).value == "a"
    assert row.occurred_at == clock.now()
    assert row.published_at is None
    assert await count(sessions, sample_item) == 1


async def test_leaving_without_commit_writes_nothing(sessions, clock: FixedClock):
    async with UnitOfWork(sessions, clock, ALICE) as uow:
        await create_item(uow, "a")

    assert await count(sessions, sample_item) == 0
    assert await count(sessions, outbox) == 0
    assert await count(sessions, audit_log) == 0


async def test_an_error_inside_the_block_writes_nothing(sessions, clock: FixedClock):
    try:
        async with UnitOfWork(sessions, clock, ALICE) as uow:
            await create_item(uow, "a")
            raise RuntimeError("handler failed")
    except RuntimeError:
        pass

    assert await count(sessions, sample_item) == 0
    assert await count(sessions, outbox) == 0


async def test_on_commit_hears_the_committed_subjects_only_after_a_commit(
    sessions, clock: FixedClock
):
    told: list[list[str]] = []
    make_uow = uow_factory(sessions, clock, on_commit=lambda subjects: told.append(list(subjects)))

    async with make_uow(ALICE) as uow:
        await create_item(uow, "a")
    assert told == []

    async with make_uow(ALICE) as uow:
        await create_item(uow, "b")
        await create_item(uow, "c")
        await uow.commit()
    assert told == [["nlc.sample.item.created", "nlc.sample.item.created"]]

    async with make_uow(ALICE) as uow:
        uow.audit("items/b", "look", {})
        await uow.commit()
    assert told[-1] == []


async def test_audit_history_lists_who_did_what_newest_last(sessions, clock: FixedClock):
    make_uow = uow_factory(sessions, clock)
    async with make_uow(ALICE) as uow:
        uow.audit("items/a", "create", {"name": "a"})
        await uow.commit()
    bob = Principal("sub-bob", "bob", frozenset(), None)
    async with make_uow(bob) as uow:
        uow.audit("items/a", "rename", {"name": "b"})
        uow.audit("items/other", "create", {})
        await uow.commit()

    async with sessions() as session:
        history = await audit_history(session, "items/a")

    assert [(h.action, h.actor_username, h.actor_org_id) for h in history] == [
        ("create", "alice", "org-1"),
        ("rename", "bob", None),
    ]
    assert history[0].actor_sub == "sub-alice"
    assert history[1].details == {"name": "b"}
    assert history[1].occurred_at == clock.now()
