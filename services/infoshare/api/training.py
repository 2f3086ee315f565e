"""RPCs of data-protection training attestations (officers and DPOs)."""

from __future__ import annotations

from typing import Any

from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import current_principal
from services.common.field_parser import FieldParser
from services.common.resource_names import parse_date
from services.infoshare.convert.training import attestation_to_proto
from services.infoshare.deps import InfoshareDeps
from services.infoshare.domain.access import TRAINED
from services.infoshare.handlers import training as handlers
from services.infoshare.queries import training as queries

_PREFIX = "/nlc.infoshare.v1.InfoshareService/"
POLICIES: dict[str, Any] = {
    _PREFIX + "AttestTraining": TRAINED,
    _PREFIX + "ListTrainingAttestations": TRAINED,
}


class TrainingApi:
    """A user attests their own training; a DPO lists their organisation's, an officer their own."""

    deps: InfoshareDeps

    async def AttestTraining(self, request: pb.AttestTrainingRequest, context: Any) -> Any:
        parse = FieldParser()
        completed_on = parse(parse_date, request.completed_on, field="completed_on")
        parse.check()
        assert completed_on is not None
        cmd = handlers.AttestTraining(request.course, completed_on)
        uow = self.deps.uow(current_principal())
        return attestation_to_proto(await handlers.attest_training(uow, self.deps.keyring, cmd))

    async def ListTrainingAttestations(
        self, request: pb.ListTrainingAttestationsRequest, context: Any
    ) -> Any:
        async with self.deps.sessions() as session:
            found = await queries.list_attestations(session, current_principal())
        return pb.ListTrainingAttestationsResponse(
            attestations=[attestation_to_proto(a) for a in found]
        )
