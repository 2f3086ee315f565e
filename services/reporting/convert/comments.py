"""Review comments between protobuf and domain, checked (plans and reports share them)."""

from __future__ import annotations

from collections.abc import Iterable

from nlc.reporting.v1 import plans_pb2 as pb
from services.common.enums import ProtoEnum
from services.common.field_parser import FieldParser
from services.reporting.domain.plan_workflow import MAX_COMMENTS, Anchors, comment_problems
from services.reporting.domain.plans import AnchorKind, ReviewComment

ANCHOR_KIND = ProtoEnum(pb.AnchorKind, "ANCHOR_KIND_", AnchorKind)


def comments_from_proto(
    parse: FieldParser,
    messages: Iterable[pb.ReviewComment],
    field: str,
    *,
    known_anchors: Anchors | None,
) -> tuple[ReviewComment, ...]:
    """Checked comments of a request field; anchors must exist when known_anchors is given.

    Problems are added to parse (call parse.check() afterwards)."""
    given = list(messages)
    if len(given) > MAX_COMMENTS:
        parse.add(field, f"at most {MAX_COMMENTS} comments")
        return ()
    comments = []
    for i, m in enumerate(given):
        path = f"{field}[{i}].anchor_kind"
        kind = parse(ANCHOR_KIND.from_proto, m.anchor_kind, field=path)
        if kind is None and m.anchor_kind == 0:
            parse.add(path, "choose what the comment is about (plan, activity, indicator, section)")
        if kind is not None:
            comments.append(ReviewComment(kind, m.anchor_code.strip(), m.text.strip()))
    if len(comments) == len(given):
        for v in comment_problems(tuple(comments), known_anchors, field).violations:
            parse.add(v.field, v.description)
    return tuple(comments)


def comments_to_proto(comments: Iterable[ReviewComment]) -> list[pb.ReviewComment]:
    """The API form of comments."""
    return [
        pb.ReviewComment(
            anchor_kind=ANCHOR_KIND.to_proto(c.anchor_kind), anchor_code=c.anchor_code, text=c.text
        )
        for c in comments
    ]
