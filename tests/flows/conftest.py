"""One kith Prefect server for the whole test session, as users run kith: a lasting local
server (flows/server.py) that in-process flows and `kith` subprocesses all talk to.

Started once (~20 s on 2 cores) instead of a temporary server per flow test and per
`kith run` subprocess; stopped when the session ends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from flows import server
from flows.console import quiet_prefect


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[server.Server]:
    quiet_prefect()
    import prefect.context
    import prefect.settings

    found, _ = server.start()
    os.environ["PREFECT_API_URL"] = found.api_url  # for `kith` subprocesses
    updates = {prefect.settings.PREFECT_API_URL: found.api_url}
    with prefect.settings.temporary_settings(updates=updates):
        # Also as the process-global settings, as prefect_test_harness does, so code in a
        # context copied before this fixture ran sees the server too.
        with prefect.context._temporary_global_settings_context(
            prefect.context.get_settings_context()
        ):
            yield found
    os.environ.pop("PREFECT_API_URL", None)
    server.stop()
