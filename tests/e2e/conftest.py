import pytest

from tests.e2e.servers import running_servers


@pytest.fixture(scope="session")
def servers(trained_model):
    """Action server + Rasa server (REST channel, HTTP API), started once, always stopped."""
    with running_servers(trained_model) as s:
        yield s
