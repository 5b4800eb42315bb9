"""The 150-person network of data/sample's parameters, generated once for the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthetic import generate


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(people=150, seed=7, out=out, noise=0.3)
    return out
