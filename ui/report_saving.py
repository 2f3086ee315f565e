"""Saving a progress report: only the sections that changed, under the etag it was read with;
and submitting it once saved."""

from __future__ import annotations

from google.protobuf.field_mask_pb2 import FieldMask

from nlc.reporting.v1 import reports_pb2 as pb
from ui.client import call, services

SECTIONS = ("activities", "indicators", "narrative", "support_requests")


def comparable(report: pb.ProgressReport, section: str) -> list[bytes]:
    """A section of report in a form two reports can be compared by."""
    value = getattr(report, section)
    items = [value] if section == "narrative" else list(value)
    return [item.SerializeToString(deterministic=True) for item in items]


def changed_sections(saved: pb.ProgressReport, wanted: pb.ProgressReport) -> list[str]:
    """The sections of wanted that differ from what is saved."""
    return [s for s in SECTIONS if comparable(saved, s) != comparable(wanted, s)]


def update_request(
    saved: pb.ProgressReport, wanted: pb.ProgressReport, sections: list[str]
) -> pb.UpdateProgressReportRequest:
    """An update of the changed sections only, under the saved etag."""
    changes = pb.ProgressReport(name=saved.name, etag=saved.etag)
    for section in sections:
        if section == "narrative":
            changes.narrative.CopyFrom(wanted.narrative)
        else:
            getattr(changes, section).extend(getattr(wanted, section))
    return pb.UpdateProgressReportRequest(
        progress_report=changes, update_mask=FieldMask(paths=sections)
    )


def save(saved: pb.ProgressReport, wanted: pb.ProgressReport) -> pb.ProgressReport:
    """The report with what changed saved (as it was when nothing changed)."""
    sections = changed_sections(saved, wanted)
    if not sections:
        return saved
    request = update_request(saved, wanted, sections)
    return call(services().reporting.UpdateProgressReport, request)


def submit(saved: pb.ProgressReport, wanted: pb.ProgressReport) -> pb.ProgressReport:
    """Save what changed, then submit the report under the new etag."""
    current = save(saved, wanted)
    request = pb.SubmitProgressReportRequest(name=current.name, etag=current.etag)
    return call(services().reporting.SubmitProgressReport, request)
