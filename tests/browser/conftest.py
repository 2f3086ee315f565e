"""One `nlc up` (with the UI) for the browser tests, and a fresh Debian Chromium per test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright, expect, sync_playwright

from tests.e2e.platform import Platform

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Deadline for each wait on the page: generous for a first Streamlit run on a 2-core machine.
WAIT_MS = 30_000
# Tall enough that a select box's open list seldom reaches past the bottom of the window.
VIEWPORT = {"width": 1280, "height": 1200}

expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="package")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """`nlc up` in a fresh NLC_HOME on free ports, the UI included."""
    with Platform.running(tmp_path_factory.mktemp("nlc-home")) as running:
        yield running


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def page(playwright: Playwright, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in Chromium with a fresh user-data dir; its final state is saved as a screenshot."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "chromium-profile",
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=VIEWPORT,
    )
    context.set_default_timeout(WAIT_MS)
    with closing(context):
        opened = context.pages[0] if context.pages else context.new_page()
        yield opened
        shots = request.config.rootpath / "test-artifacts" / "browser"
        shots.mkdir(parents=True, exist_ok=True)
        opened.screenshot(path=shots / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name)}.png")
