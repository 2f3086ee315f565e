"""One `nlc up` for all end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.platform import Platform


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """`nlc up` in a fresh NLC_HOME on free ports; tests that stop it start it again."""
    with Platform.running(tmp_path_factory.mktemp("nlc-home")) as running:
        yield running
