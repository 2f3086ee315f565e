"""configure_logging: JSON lines for machines, key=value text for terminals."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from services.common.logging import configure_logging


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_root")
def test_json_lines_carry_message_and_extra_fields(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(json_output=True)

    logging.getLogger("nlc.rpc").info("rpc", extra={"method": "/a.B/C", "duration_ms": 1.5})

    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "rpc"
    assert line["level"] == "INFO"
    assert line["logger"] == "nlc.rpc"
    assert (line["method"], line["duration_ms"]) == ("/a.B/C", 1.5)


@pytest.mark.usefixtures("restore_root")
def test_exceptions_are_logged_with_their_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(json_output=True)

    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("x").exception("failed")

    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert "ValueError: boom" in line["exc"]


@pytest.mark.usefixtures("restore_root")
def test_text_output_shows_extras_as_key_value(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(json_output=False)

    logging.getLogger("nlc.rpc").info("rpc", extra={"code": "OK"})

    assert capsys.readouterr().err.rstrip().endswith("nlc.rpc: rpc code=OK")


@pytest.mark.usefixtures("restore_root")
def test_configuring_twice_keeps_one_handler(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(json_output=True)
    configure_logging(json_output=True)

    logging.getLogger("x").warning("once")

    assert capsys.readouterr().err.count('"once"') == 1
