"""The standardised record formats a share can carry, each field tagged with its data category."""

from __future__ import annotations

from dataclasses import dataclass

from services.infoshare.domain.categories import DataCategory as C


@dataclass(frozen=True)
class RecordField:
    name: str
    description: str
    category: C
    required: bool = False


@dataclass(frozen=True)
class RecordType:
    code: str
    display_name: str
    description: str
    fields: tuple[RecordField, ...]

    def field(self, name: str) -> RecordField | None:
        """The field called name, or None."""
        return next((f for f in self.fields if f.name == name), None)


def _f(name: str, description: str, category: C, required: bool = False) -> RecordField:
    return RecordField(name, description, category, required)


REFERRAL_CASE = RecordType(
    "referral-case",
    "Referral case",
    "A person referred to a multi-agency table for support.",
    (
        _f("subject_name", "Full name of the person referred", C.IDENTITY, True),
        _f("date_of_birth", "Date of birth", C.IDENTITY),
        _f("address", "Home address", C.CONTACT),
        _f("phone", "Telephone number", C.CONTACT),
        _f("referral_reason", "What gave rise to concern", C.BEHAVIOURAL_CONCERN, True),
        _f("observed_facts", "What was observed, by whom and when", C.FACT),
        _f("risk_assessment", "The referrer's professional assessment", C.OPINION),
        _f("health_notes", "Health information relevant to support", C.HEALTH),
        _f("offending_history", "Known offences or convictions", C.CRIMINAL_OFFENCE),
        _f("family_situation", "Household, schooling, work", C.SOCIAL_CIRCUMSTANCES),
    ),
)

INCIDENT_REPORT = RecordType(
    "incident-report",
    "Incident report",
    "A hate or extremism-related incident seen by an agency.",
    (
        _f("incident_date", "Date of the incident", C.FACT, True),
        _f("location", "Where it happened", C.FACT),
        _f("description", "What happened", C.FACT, True),
        _f("persons_involved", "Names of those involved", C.IDENTITY),
        _f("suspected_offence", "Offence suspected, if any", C.CRIMINAL_OFFENCE),
        _f("assessment", "The reporting officer's assessment", C.OPINION),
    ),
)

REINTEGRATION_PLAN = RecordType(
    "reintegration-plan",
    "Reintegration plan",
    "Support and conditions agreed for a returnee or released offender.",
    (
        _f("subject_name", "Full name of the person", C.IDENTITY, True),
        _f("contact_details", "How to reach the person", C.CONTACT),
        _f("goals", "Goals of the plan", C.SOCIAL_CIRCUMSTANCES, True),
        _f("support_services", "Housing, work, education, mentoring", C.SOCIAL_CIRCUMSTANCES),
        _f("health_needs", "Health and psychological needs", C.HEALTH),
        _f("conditions", "Licence or court conditions", C.CRIMINAL_OFFENCE),
        _f("case_worker_assessment", "The case worker's assessment", C.OPINION),
    ),
)

TREND_SUMMARY = RecordType(
    "trend-summary",
    "Trend summary",
    "Aggregate figures and trends, with no person identifiable.",
    (
        _f("period", "Period covered", C.AGGREGATE_STATISTICS, True),
        _f("area", "Area covered", C.AGGREGATE_STATISTICS, True),
        _f("incident_count", "Number of incidents", C.AGGREGATE_STATISTICS),
        _f("trend_description", "What changed and how", C.AGGREGATE_STATISTICS),
        _f("analyst_opinion", "The analyst's interpretation", C.OPINION),
    ),
)

RECORD_TYPES: dict[str, RecordType] = {
    t.code: t for t in (REFERRAL_CASE, INCIDENT_REPORT, REINTEGRATION_PLAN, TREND_SUMMARY)
}
