"""Awards, tranches and ledgers to protobuf; decision items from requests."""

from __future__ import annotations

from collections.abc import Mapping

from nlc.grants.v1 import awards_pb2 as pb
from nlc.grants.v1 import calls_pb2, events_pb2
from services.common.field_parser import FieldParser
from services.common.money import Money
from services.common.proto_values import money_from_proto, money_to_proto
from services.common.resource_names import make_name, parse_name, to_timestamp
from services.grants.convert.applications import application_name
from services.grants.convert.calls import ORGANISATIONS, call_name, org_name, to_pb
from services.grants.domain.awards import Award, AwardItem
from services.grants.domain.ledger import Pool, Position
from services.grants.domain.tranches import Tranche, TrancheState

COLLECTION = "awards"
MAX_ITEMS = 200
_STATES = {
    TrancheState.PENDING: pb.TRANCHE_STATE_PENDING,
    TrancheState.HELD: pb.TRANCHE_STATE_HELD,
    TrancheState.RELEASED: pb.TRANCHE_STATE_RELEASED,
}


def award_name(award_id: str) -> str:
    return make_name(COLLECTION, award_id)


def _shares(currency: str, shares: Mapping[str, int]) -> list[pb.FunderShare]:
    return [
        pb.FunderShare(funder=org_name(f), amount=money_to_proto(Money(currency, units)))
        for f, units in shares.items()
    ]


def tranche_to_proto(currency: str, t: Tranche) -> pb.Tranche:
    return pb.Tranche(
        code=t.code,
        amount=money_to_proto(Money(currency, t.amount)),
        trigger=to_pb(t.trigger),
        state=_STATES[t.state],
        release_time=to_timestamp(t.release_time),
        funder_shares=_shares(currency, t.funder_shares),
        hold_reason=t.hold_reason,
    )


def award_to_proto(a: Award) -> pb.Award:
    """The API resource for an award."""
    return pb.Award(
        name=award_name(a.id),
        id=a.id,
        call=call_name(a.call_id),
        application=application_name(a.application_id),
        grantee_organisation=org_name(a.grantee_org_id),
        amount=money_to_proto(Money(a.currency, a.amount)),
        funder_shares=_shares(a.currency, a.funder_shares),
        tranches=[tranche_to_proto(a.currency, t) for t in a.tranches],
        withhold_grantee_name=a.withhold_grantee_name,
        reporting_duty=calls_pb2.ReportingDuty(
            periodicity=to_pb(a.reporting_duty.periodicity),
            final_evaluation_required=a.reporting_duty.final_evaluation_required,
        ),
        award_time=to_timestamp(a.award_time),
        sign_time=to_timestamp(a.sign_time),
    )


def award_made(a: Award) -> events_pb2.AwardMade:
    """Event for nlc.grants.award.made (carries the grantee's reporting duty)."""
    return events_pb2.AwardMade(award=award_to_proto(a))


def tranche_released(a: Award, t: Tranche) -> events_pb2.TrancheReleased:
    """Event for nlc.grants.tranche.released."""
    return events_pb2.TrancheReleased(
        award=award_name(a.id), tranche=tranche_to_proto(a.currency, t)
    )


def _row(pool: Pool, p: Position, funder: str, name: str) -> pb.FunderLedger:
    def money(units: int) -> object:
        return money_to_proto(Money(pool.currency, units))

    return pb.FunderLedger(
        funder=funder,
        funder_display_name=name,
        pledged=money(p.pledged),
        committed=money(p.committed),
        disbursed=money(p.disbursed),
        available=money(p.available),
    )


def ledger_to_proto(call_id: str, pool: Pool, names: Mapping[str, str]) -> pb.Ledger:
    """Per funder (call order) and the total; the total row names the call."""
    return pb.Ledger(
        call=call_name(call_id),
        funders=[_row(pool, p, org_name(f), names.get(f, "")) for f, p in pool.positions.items()],
        total=_row(pool, pool.total(), "", "Total"),
    )


def items_from_proto(parse: FieldParser, items: list[pb.AwardItem]) -> tuple[AwardItem, ...]:
    """Decision items with checked names and money (the rules come later)."""
    if len(items) > MAX_ITEMS:
        parse.add("items", f"at most {MAX_ITEMS} awards in one decision")
        return ()
    found = []
    for i, item in enumerate(items):
        path = f"items[{i}]"
        app_id = parse(parse_name, item.application, "applications", field=f"{path}.application")
        amount = parse(money_from_proto, item.amount, field=f"{path}.amount")
        earmarked: dict[str, int] = {}
        for j, share in enumerate(item.earmarked_shares):
            sub = f"{path}.earmarked_shares[{j}]"
            funder = parse(parse_name, share.funder, ORGANISATIONS, field=f"{sub}.funder")
            units = parse(money_from_proto, share.amount, field=f"{sub}.amount")
            if funder in earmarked:
                parse.add(f"{sub}.funder", "is earmarked twice")
            elif funder is not None and units is not None:
                earmarked[funder] = units.minor_units
        if app_id is not None and amount is not None:
            found.append(AwardItem(app_id, amount, earmarked, item.withhold_grantee_name))
    return tuple(found)
