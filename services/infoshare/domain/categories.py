"""The vocabulary of lawful sharing: lawful bases and the data categories a field can hold."""

from __future__ import annotations

from enum import StrEnum


class LawfulBasis(StrEnum):
    CONSENT = "consent"
    LEGAL_OBLIGATION = "legal_obligation"
    PUBLIC_TASK = "public_task"
    VITAL_INTERESTS = "vital_interests"
    LEGITIMATE_INTERESTS = "legitimate_interests"


class DataCategory(StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    HEALTH = "health"
    CRIMINAL_OFFENCE = "criminal_offence"
    BEHAVIOURAL_CONCERN = "behavioural_concern"
    SOCIAL_CIRCUMSTANCES = "social_circumstances"
    OPINION = "opinion"
    FACT = "fact"
    AGGREGATE_STATISTICS = "aggregate_statistics"
