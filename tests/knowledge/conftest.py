"""One policy index per test session (built into var/index if missing or stale, then shared)."""

import pytest


@pytest.fixture(scope="session")
def policy_index():
    from knowledge.api import load_index

    return load_index()
