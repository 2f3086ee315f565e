"""Sharing a referral: SendShare and FetchShare at concurrency 32 on PostgreSQL, beside an echo.

nats-server, the dev IdP and infoshare run in their own processes on NLC_BENCH_DATABASE_URL
(schema infoshare dropped first, and again at the end). Over gRPC and untimed, the demo DPOs
create a purpose, propose and sign an agreement from Riverton Social Services to Riverton Police,
and the officers attest their training. Then `social` sends N referrals to POLICE (one field is
not allowed, so each is minimised) and `police` fetches each of them, every call timed, each
phase beside the same number of calls to a bare grpc.aio echo whose request and reply are the
same size. Run: `make bench-infoshare` (or `.venv/bin/python bench/infoshare_share.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import UTC, datetime, timedelta

import grpc
from _stack import fresh_schemas, password_token, platform, surge

from nlc.infoshare.v1 import agreements_pb2 as apb
from nlc.infoshare.v1 import infoshare_pb2 as ipb
from nlc.infoshare.v1 import infoshare_pb2_grpc
from nlc.infoshare.v1 import purposes_pb2 as ppb
from nlc.infoshare.v1 import shares_pb2 as spb
from services.common.demo_ids import POLICE, SOCIAL
from services.common.net import free_port

DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/nlc_bench"
SCHEMA = "infoshare"
CONCURRENCY = 32
SEND = "/nlc.infoshare.v1.InfoshareService/SendShare"
FETCH = "/nlc.infoshare.v1.InfoshareService/FetchShare"
ECHO = "/bench.v1.Echo/Get"
PURPOSE = "purposes/bench-referral"
RECORD_TYPE = "recordTypes/referral-case"
SENDER, RECIPIENT = f"organisations/{SOCIAL}", f"organisations/{POLICE}"
C = ppb.DataCategory
PURPOSE_CATEGORIES = [
    C.DATA_CATEGORY_IDENTITY,
    C.DATA_CATEGORY_CONTACT,
    C.DATA_CATEGORY_BEHAVIOURAL_CONCERN,
    C.DATA_CATEGORY_FACT,
    C.DATA_CATEGORY_OPINION,
    C.DATA_CATEGORY_SOCIAL_CIRCUMSTANCES,
]
FLOW_CATEGORIES = PURPOSE_CATEGORIES[:1] + PURPOSE_CATEGORIES[2:5]
TARGETS = {"SendShare": 0.25, "FetchShare": 0.4}


def _fields(n: int) -> dict[str, str]:
    """A realistic referral; family_situation is outside the flow, so it is dropped."""
    return {
        "subject_name": f"Bench Person {n:06d}",
        "date_of_birth": "2007-03-14",
        "referral_reason": "Shares extremist propaganda in class chats and withdrew from family.",
        "observed_facts": "Teacher saw the posts on 3 occasions in March; school logged them.",
        "risk_assessment": "Moderate risk; responsive to the school mentor, open to support.",
        "family_situation": "Lives with mother and two siblings; father abroad since 2023.",
    }


def _send(n: int) -> ipb.SendShareRequest:
    return ipb.SendShareRequest(
        purpose=PURPOSE,
        record_type=RECORD_TYPE,
        recipients=[RECIPIENT],
        subject_reference=f"SOC-BENCH-{n:06d}",
        fields=_fields(n),
    )


async def _bearer(issuer: str, username: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {await password_token(issuer, username)}"),)


async def _set_up(stub, issuer: str) -> None:
    """Purpose, a signed SOCIAL -> POLICE agreement and current training, all over gRPC."""
    social_dpo = await _bearer(issuer, "social-dpo")
    police_dpo = await _bearer(issuer, "police-dpo")
    purpose = ppb.Purpose(
        code=PURPOSE.removeprefix("purposes/"),
        description="Benchmark: referring a person at risk of radicalisation for support.",
        lawful_basis=ppb.LAWFUL_BASIS_PUBLIC_TASK,
        data_categories=PURPOSE_CATEGORIES,
        retention_days=365,
    )
    await stub.CreatePurpose(ipb.CreatePurposeRequest(purpose=purpose), metadata=social_dpo)
    today = datetime.now(UTC).date()
    terms = apb.AgreementTerms(
        title="Benchmark referrals, Social Services to Police",
        parties=[
            apb.Party(organisation=SENDER, role=apb.PARTY_ROLE_PROVIDER),
            apb.Party(organisation=RECIPIENT, role=apb.PARTY_ROLE_RECIPIENT),
        ],
        purposes=[PURPOSE],
        flows=[apb.DataFlow(provider=SENDER, recipient=RECIPIENT, categories=FLOW_CATEGORIES)],
        valid_from=(today - timedelta(days=1)).isoformat(),
        valid_until=(today + timedelta(days=365)).isoformat(),
        review_interval_months=12,
    )
    agreement = await stub.ProposeAgreement(
        ipb.ProposeAgreementRequest(terms=terms), metadata=social_dpo
    )
    for dpo in (social_dpo, police_dpo):
        signed = await stub.SignAgreement(
            ipb.SignAgreementRequest(name=agreement.name, version=1), metadata=dpo
        )
    if signed.state != apb.AGREEMENT_STATE_ACTIVE:
        raise SystemExit(f"the bench agreement is not active after both signatures: {signed}")
    for user in ("social", "police"):
        attest = ipb.AttestTrainingRequest(
            course="Data protection in multi-agency work", completed_on=today.isoformat()
        )
        await stub.AttestTraining(attest, metadata=await _bearer(issuer, user))


async def _probe(stub, officer, reader) -> tuple[bytes, bytes]:
    """One untimed send and fetch: their reply bytes (the echo answers as much)."""
    sent = await stub.SendShare(_send(0), metadata=officer)
    outcome = sent.decisions[0].outcome
    if outcome != spb.OUTCOME_MINIMISED:
        raise SystemExit(f"the probe share was not minimised: {sent.decisions}")
    fetched = await stub.FetchShare(
        ipb.FetchShareRequest(name=sent.share.name, purpose=PURPOSE), metadata=reader
    )
    return sent.SerializeToString(), fetched.SerializeToString()


def _fetches(send_replies: list[bytes]) -> list[bytes]:
    """A FetchShare request for every share the timed sends created."""
    names = [ipb.SendShareResponse.FromString(r).share.name for r in send_replies]
    return [ipb.FetchShareRequest(name=n, purpose=PURPOSE).SerializeToString() for n in names]


def _line(label: str, r: dict) -> str:
    return (
        f"{label:<34} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:7.2f} ms   "
        f"p99 {r['p99_ms']:7.2f} ms   errors {len(r['errors'])}"
    )


async def _restart_echo(stack) -> None:
    """Stop the echo and give the next one, answering another reply size, a fresh port."""
    echo = next(c for c in stack.children if c.name == "echo")
    await echo.stop(5)
    stack.children.remove(echo)
    stack.ports["echo"] = free_port()


async def _run(count: int, database_url: str) -> tuple[dict, dict]:
    """Start the stack, set up untimed, then time each RPC right after its echo baseline."""
    async with platform(["infoshare"], NLC_DATABASE_URL=database_url) as stack:
        target = await stack.serve("infoshare")
        async with grpc.aio.insecure_channel(target) as channel:
            stub = infoshare_pb2_grpc.InfoshareServiceStub(channel)
            await _set_up(stub, stack.issuer)
            officer = await _bearer(stack.issuer, "social")
            reader = await _bearer(stack.issuer, "police")
            send_reply, fetch_reply = await _probe(stub, officer, reader)
        sends = [_send(n).SerializeToString() for n in range(1, count + 1)]
        echo = await stack.echo(len(send_reply))
        send = (
            await surge(echo, ECHO, sends, officer, CONCURRENCY),
            await surge(target, SEND, sends, officer, CONCURRENCY),
        )
        fetches = _fetches(send[1]["replies"])
        if not fetches:
            raise SystemExit(f"no timed send succeeded: {send[1]['errors'][:3]}")
        await _restart_echo(stack)
        echo = await stack.echo(len(fetch_reply))
        reader = await _bearer(stack.issuer, "police")
        fetch = (
            await surge(echo, ECHO, fetches, reader, CONCURRENCY),
            await surge(target, FETCH, fetches, reader, CONCURRENCY),
        )
    sizes = {
        "SendShare": (len(sends[0]), len(send_reply)),
        "FetchShare": (len(fetches[0]), len(fetch_reply)),
    }
    return {"SendShare": send, "FetchShare": fetch}, sizes


async def main(count: int, database_url: str) -> None:
    await fresh_schemas(database_url, SCHEMA)
    try:
        results, sizes = await _run(count, database_url)
    finally:
        await fresh_schemas(database_url, SCHEMA)
    print(
        f"infoshare sharing: {count} SendShare then {count} FetchShare, concurrency "
        f"{CONCURRENCY}, PostgreSQL, cpus {os.cpu_count()}"
    )
    verdicts = []
    for rpc in ("SendShare", "FetchShare"):
        echo, real = results[rpc]
        request_size, reply_size = sizes[rpc]
        print(f"{rpc}: request {request_size} bytes, reply {reply_size} bytes")
        print(_line("  bare grpc.aio echo (baseline)", echo))
        print(_line(f"  infoshare {rpc}", real))
        for error in sorted(set(real["errors"]))[:5]:
            print(f"    error: {error[:200]}")
        ratio = real["rps"] / echo["rps"]
        met = not real["errors"] and ratio >= TARGETS[rpc]
        verdicts.append(met)
        print(
            f"  ratio {rpc}/echo: {ratio:.2f} (target >= {TARGETS[rpc]}, no errors) "
            f"-> {'met' if met else 'NOT met'}"
        )
    print(f"all targets {'met' if all(verdicts) else 'NOT met'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000)
    parser.add_argument(
        "--database-url", default=os.environ.get("NLC_BENCH_DATABASE_URL", DATABASE_URL)
    )
    options = parser.parse_args()
    asyncio.run(main(options.count, options.database_url))
