"""Prefect's test harness, started once for all flow tests (it costs ~20 s on 2 cores)."""

from __future__ import annotations

import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(scope="session")
def prefect_harness():
    with prefect_test_harness(server_startup_timeout=180):
        yield
