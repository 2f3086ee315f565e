"""Who may do what in infoshare: officers share for their organisation, data-protection officers
govern agreements and subject requests for theirs, auditors read the audit; nobody else."""

from __future__ import annotations

from services.common.auth import Role

OFFICERS = frozenset({Role.INFOSHARE_OFFICER})
DPOS = frozenset({Role.DATA_PROTECTION_OFFICER})
AUDITORS = frozenset({Role.AUDITOR})
# Who may read purposes, record types and (their own organisation's) agreements.
READERS = frozenset({*OFFICERS, *DPOS, *AUDITORS})
# Who must hold a current data-protection training attestation.
TRAINED = frozenset({*OFFICERS, *DPOS})
