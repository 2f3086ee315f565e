"""RPCs of subject requests, for data-protection officers acting for their own organisation:
subject access, erasure, and re-identification of a share's subject."""

from __future__ import annotations

from typing import Any

from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import current_principal
from services.common.resource_names import parse_name
from services.infoshare.convert import SHARES
from services.infoshare.convert.shares import share_name, share_to_proto
from services.infoshare.deps import InfoshareDeps
from services.infoshare.domain.access import DPOS
from services.infoshare.handlers import subjects as handlers

_PREFIX = "/nlc.infoshare.v1.InfoshareService/"
POLICIES: dict[str, Any] = {
    _PREFIX + m: DPOS for m in ("FindSubjectShares", "EraseSubject", "ReidentifySubject")
}


class SubjectsApi:
    """Subject request RPCs; the organisation's own shares only, checked in handlers."""

    deps: InfoshareDeps

    async def FindSubjectShares(self, request: pb.FindSubjectSharesRequest, context: Any) -> Any:
        uow = self.deps.uow(current_principal())
        views = await handlers.find_subject_shares(
            uow, self.deps.keyring, request.subject_reference
        )
        return pb.FindSubjectSharesResponse(shares=[share_to_proto(v) for v in views])

    async def EraseSubject(self, request: pb.EraseSubjectRequest, context: Any) -> Any:
        uow = self.deps.uow(current_principal())
        erased = await handlers.erase_subject(
            uow, self.deps.keyring, request.subject_reference, request.reason
        )
        return pb.EraseSubjectResponse(erased_shares=[share_name(i) for i in erased])

    async def ReidentifySubject(self, request: pb.ReidentifySubjectRequest, context: Any) -> Any:
        share_id = parse_name(request.share, SHARES, field="share")
        uow = self.deps.uow(current_principal())
        reference = await handlers.reidentify_subject(
            uow, self.deps.keyring, share_id, request.reason
        )
        return pb.ReidentifySubjectResponse(subject_reference=reference)
