"""What PostgreSQL shows after the run, read straight from each service's schema: the effect of
every request, every event against every consumer's inbox, the outbox and the dead letters.
Each check returns the lines to print and the problems found (none when all is well)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.messaging import stream_name
from services.common.outbox import MSG_ID_HEADER
from tests.resilience.effects import EFFECTS
from tests.resilience.ledger import Ledger

SCHEMAS = ("registry", "grants", "reporting", "infoshare")


@dataclass
class Findings:
    """Lines to print and the problems among them."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, line: str, problem: bool) -> None:
        self.lines.append(line)
        if problem:
            self.problems.append(line)

    def extend(self, other: Findings) -> None:
        self.lines.extend(other.lines)
        self.problems.extend(other.problems)

    def report(self) -> str:
        problems = self.problems or ["none"]
        return "\n".join([*self.lines, "problems:", *problems])


@dataclass(frozen=True)
class Durable:
    """A durable consumer as JetStream has it: name, stream and filter subjects. Durables are
    named `<consuming service>-<producing service>`."""

    name: str
    stream: str
    subjects: tuple[str, ...]

    @property
    def schema(self) -> str:
        return self.name.split("-", 1)[0]

    @property
    def source(self) -> str:
        return self.stream.removeprefix("NLC_").lower()

    def takes(self, subject: str) -> bool:
        return any(subject_matches(pattern, subject) for pattern in self.subjects)


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: `*` is one token, a final `>` one or more."""
    wanted, tokens = pattern.split("."), subject.split(".")
    for i, token in enumerate(wanted):
        if token == ">":
            return len(tokens) > i
        if i >= len(tokens) or token not in ("*", tokens[i]):
            return False
    return len(wanted) == len(tokens)


async def durables(js: JetStreamContext) -> list[Durable]:
    """Every durable consumer on the services' streams."""
    found = []
    for service in SCHEMAS:
        try:
            infos = await js.consumers_info(stream_name(service))
        except NotFoundError:
            continue
        for info in infos:
            config = info.config
            if not config.durable_name:
                continue  # an ephemeral consumer, e.g. stream_ids reading a stream
            subjects = config.filter_subjects or [config.filter_subject or ">"]
            found.append(Durable(config.durable_name, info.stream_name, (*subjects,)))
    return sorted(found, key=lambda d: d.name)


def expected_dead_letters(
    poisoned: Iterable[tuple[str, str]], found: Iterable[Durable]
) -> set[tuple[str, str]]:
    """(durable, event id) for every poison (subject, id) and every durable that takes it."""
    found = list(found)
    return {
        (durable.name, event_id)
        for subject, event_id in poisoned
        for durable in found
        if durable.stream == stream_name(subject.split(".")[1]) and durable.takes(subject)
    }


async def rows(engine: AsyncEngine, sql: str, **params: object) -> list[tuple]:
    """The rows sql gives, as tuples."""
    async with engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql), params)]


def count_effects(kind: str, place: str, counts: Counter[str], ledger: Ledger) -> Findings:
    """Every accepted value present exactly once, none more than once, none never sent; a kind
    with nothing accepted proves nothing, so that is a problem too."""
    accepted, sent = ledger.accepted(kind), ledger.sent(kind)
    once = sum(counts[value] == 1 for value in accepted)
    missing = sum(counts[value] == 0 for value in accepted)
    repeated = sorted(value for value, n in counts.items() if n > 1)
    unsent = sorted(set(counts) - sent)
    unconfirmed = len((set(counts) & sent) - accepted)
    findings = Findings()
    findings.add(
        f"{kind:<22} {place:<44} accepted {len(accepted):4}  present once {once:4}  "
        f"missing {missing:3}  "
        f"more than once {len(repeated):3}  never sent {len(unsent):3}  "
        f"(present of {len(sent - accepted)} not accepted: {unconfirmed})",
        not accepted or once != len(accepted) or bool(repeated) or bool(unsent),
    )
    if repeated or unsent:
        findings.problems.append(f"  {kind} repeated {repeated[:5]} never sent {unsent[:5]}")
    return findings


async def effects(engine: AsyncEngine, ledger: Ledger, run: str) -> Findings:
    """The effects of the workload's requests, place by place."""
    findings = Findings()
    for kind, effect in EFFECTS.items():
        for place, sql in effect.places.items():
            found = await rows(engine, sql, run=f"{run}-{effect.tag}-%")
            counts = Counter({value: n for value, n in found})
            findings.extend(count_effects(kind, place, counts, ledger))
    return findings


async def deliveries(engine: AsyncEngine, found: Iterable[Durable]) -> Findings:
    """Per durable: the producer's outbox events it filters on against its inbox, per id."""
    findings = Findings()
    for durable in found:
        outbox = await rows(engine, f"SELECT id, subject FROM {durable.source}.outbox")
        published = {event_id for event_id, subject in outbox if durable.takes(subject)}
        inbox = await rows(
            engine,
            f"SELECT event_id FROM {durable.schema}.inbox WHERE consumer = :name",
            name=durable.name,
        )
        received = Counter(event_id for (event_id,) in inbox)
        per_id = Counter(received[event_id] for event_id in published)
        missing, extra = published - set(received), set(received) - published
        findings.add(
            f"consumer {durable.name:<19} {durable.source}.outbox events {len(published):5}  "
            f"{durable.schema}.inbox rows {sum(received.values()):5}  "
            f"ids handled once {per_id[1]:5}  missing {len(missing):3}  extra {len(extra):3}  "
            f"more than once {sum(n > 1 for n in received.values()):3}",
            bool(missing or extra) or any(n != 1 for n in received.values()),
        )
    return findings


async def streams(js: JetStreamContext, replicas: int) -> Findings:
    """Each service's stream: kept on `replicas` nodes, every follower current."""
    findings = Findings()
    for service in SCHEMAS:
        info = await js.stream_info(stream_name(service))
        cluster = info.cluster
        followers = [f"{p.name}{'' if p.current else ' (behind)'}" for p in cluster.replicas or []]
        findings.add(
            f"stream {info.config.name:<13} replicas {info.config.num_replicas}  "
            f"messages {info.state.messages:5}  leader {cluster.leader}  "
            f"followers {', '.join(followers)}",
            info.config.num_replicas != replicas
            or not all(p.current for p in cluster.replicas or []),
        )
    return findings


async def stream_ids(js: JetStreamContext, service: str) -> Counter[str]:
    """How often each Nats-Msg-Id is stored in service's stream, message by message."""
    stream = stream_name(service)
    state = (await js.stream_info(stream)).state
    ids: Counter[str] = Counter()
    for sequence in range(state.first_seq, state.last_seq + 1):
        try:
            message = await js.get_msg(stream, sequence)
        except NotFoundError:
            continue  # deleted: what remains is what consumers can still read
        ids[(message.headers or {}).get(MSG_ID_HEADER, "")] += 1
    return ids


async def published(
    engine: AsyncEngine, js: JetStreamContext, poisoned: Iterable[tuple[str, str]]
) -> Findings:
    """Per stream: every outbox row and every acknowledged poison message stored exactly once,
    nothing else."""
    findings = Findings()
    for service in SCHEMAS:
        sql = f"SELECT id FROM {service}.outbox"
        ids = {event_id for (event_id,) in await rows(engine, sql)}
        poison = {event_id for subject, event_id in poisoned if subject.split(".")[1] == service}
        stored = await stream_ids(js, service)
        wanted = ids | poison
        missing, extra = wanted - set(stored), set(stored) - wanted
        twice = sum(n > 1 for n in stored.values())
        findings.add(
            f"stream {stream_name(service):<13} outbox rows {len(ids):4} + poison {len(poison)}  "
            f"stored once {sum(stored[i] == 1 for i in wanted):4}  missing {len(missing):2}  "
            f"more than once {twice:2}  unknown {len(extra):2}",
            bool(missing or extra or twice),
        )
        if missing or extra:
            findings.problems.append(f"  missing {sorted(missing)[:5]} unknown {sorted(extra)[:5]}")
    return findings


async def outboxes(engine: AsyncEngine) -> Findings:
    """Rows never published, per schema."""
    findings = Findings()
    for schema in SCHEMAS:
        sql = f"SELECT count(*), count(*) FILTER (WHERE published_at IS NULL) FROM {schema}.outbox"
        ((total, pending),) = await rows(engine, sql)
        findings.add(f"outbox {schema:<10} rows {total:5}  unpublished {pending}", pending != 0)
    return findings


async def dead_letters(engine: AsyncEngine, expected: set[tuple[str, str]]) -> Findings:
    """Dead letters (consumer, event id) in every schema: exactly the expected ones, once each."""
    found: Counter[tuple[str, str]] = Counter()
    for schema in SCHEMAS:
        sql = f"SELECT consumer, event_id FROM {schema}.dead_letter"
        found.update((consumer, event_id) for consumer, event_id in await rows(engine, sql))
    findings = Findings()
    findings.add(
        f"dead letters: {sum(found.values())} rows, expected {len(expected)} "
        f"(poison x consumers); unexpected {sorted(set(found) - expected)[:5]}  "
        f"missing {len(expected - set(found))}  "
        f"repeated {sorted(k for k, n in found.items() if n > 1)[:5]}",
        set(found) != expected or any(n > 1 for n in found.values()),
    )
    return findings


async def everything(
    engine: AsyncEngine,
    js: JetStreamContext,
    ledger: Ledger,
    run: str,
    *,
    poisoned: list[tuple[str, str]],
    consumers: set[str],
) -> Findings:
    """The checks that hold once every event is handled: effects, deliveries, outboxes, dead
    letters."""
    found = await durables(js)
    findings = Findings()
    findings.add(
        f"durables: {', '.join(d.name for d in found)}",
        not consumers <= {d.name for d in found},
    )
    findings.extend(await effects(engine, ledger, run))
    findings.extend(await deliveries(engine, found))
    findings.extend(await outboxes(engine))
    findings.extend(await dead_letters(engine, expected_dead_letters(poisoned, found)))
    return findings
