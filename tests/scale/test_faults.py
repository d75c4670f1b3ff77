"""Faults on the `scale` profile: the lock store's Redis goes away mid-conversation and comes back; the
action server dies and comes back. The worker gets a polite Chinese reply (utter_no_reply) instead of an
error, the conversation keeps what it had, and it goes on when the service is back — without a restart.

The Redis here is a redis-server of the test's own on a free port (the machine's stays up for the rest)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import uuid

import pytest
import yaml

from tests.e2e.servers import ROOT, free_port
from tests.scale.servers import running_replicas
from tests.scale.test_replicas import _services_or_skip, text_of

pytestmark = pytest.mark.rasa
NO_REPLY = yaml.safe_load((ROOT / "bot" / "domain" / "handoff.yml").read_text(encoding="utf-8"))[
    "responses"]["utter_no_reply"][0]["text"]


class OwnRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen([shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        for _ in range(100):
            try:
                redis.Redis.from_url(self.url, socket_timeout=1).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = OwnRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def replica(trained_model, redis_server):
    _services_or_skip()
    with running_replicas(trained_model, n=1, REDIS_URL=redis_server.url) as r:
        yield r


def user_texts(replica, sender: str) -> list[str]:
    return [e["text"] for e in replica.tracker(0, sender)["events"] if e.get("event") == "user"]


def test_redis_away_gets_a_polite_reply_and_the_conversation_goes_on_when_it_is_back(replica, redis_server):
    sender = f"fault-redis-{uuid.uuid4().hex[:8]}"
    first = text_of(replica.say(0, sender, "娃4岁没宁波户口能交医保不"))
    assert "医保" in first and first != NO_REPLY
    redis_server.stop()
    try:
        away = text_of(replica.say(0, sender, "交了14个月"))
        assert away == NO_REPLY  # no 5xx, no silence: try again later, or call 12345 / 12333
    finally:
        redis_server.start()  # the same port: the lock store reconnects by itself
    again = text_of(replica.say(0, sender, "交了14个月"))
    assert again != NO_REPLY and "14" not in again.splitlines()[-1]  # read, and the next question asked
    assert user_texts(replica, sender) == ["娃4岁没宁波户口能交医保不", "交了14个月"]  # kept, nothing doubled
    assert replica.tracker(0, sender)["slots"]["employee_medical_months"] == 14


def test_action_server_away_gets_a_polite_reply_and_the_conversation_goes_on_when_it_is_back(replica):
    sender = f"fault-actions-{uuid.uuid4().hex[:8]}"
    first = text_of(replica.say(0, sender, "娃4岁没宁波户口能交医保不"))
    assert first != NO_REPLY
    replica.kill("actions")
    try:
        away = text_of(replica.say(0, sender, "交了14个月"))
        assert NO_REPLY in away
    finally:
        replica.start_actions()
        replica.wait(["actions"])
    again = text_of(replica.say(0, sender, "交了14个月"))
    assert again != NO_REPLY and NO_REPLY not in again
    slots = replica.tracker(0, sender)["slots"]
    assert slots["children_age"] == 4 and slots["employee_medical_months"] == 14  # what it had is kept


class OwnPostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, trust auth, a free port), so
    stopping it stops nothing else on the machine. initdb refuses root: it runs as the postgres user."""

    def __init__(self) -> None:
        import glob
        import tempfile

        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins or not shutil.which("runuser"):
            pytest.skip("PostgreSQL server binaries or runuser are not installed")
        self.bin = bins[-1]
        self.dir = tempfile.mkdtemp(prefix="ysly-pg-")
        shutil.chown(self.dir, "postgres")
        self.port = free_port()

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._as_postgres(f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        self._as_postgres(f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-w", "-l", f"{self.dir}/log", "-o",
                          f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self._as_postgres(f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-w", "-m", "immediate", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def own_postgres():
    server = OwnPostgres()
    try:
        server.init()
        server.start()
    except (subprocess.CalledProcessError, PermissionError, LookupError) as error:
        server.remove()
        if os.environ.get("YSLY_CI") == "1":
            raise
        pytest.skip(f"could not run a PostgreSQL of the test's own: {error}")
    yield server
    server.remove()


@pytest.fixture(scope="module")
def replica_on_own_postgres(trained_model, own_postgres):
    _services_or_skip()
    with running_replicas(trained_model, n=1, POSTGRES_PORT=str(own_postgres.port)) as r:
        yield r


def test_postgres_away_gets_a_polite_reply_not_a_blank_conversation_and_recovers(replica_on_own_postgres,
                                                                                   own_postgres):
    replica = replica_on_own_postgres
    sender = f"fault-pg-{uuid.uuid4().hex[:8]}"
    first = text_of(replica.say(0, sender, "娃4岁没宁波户口能交医保不"))
    assert first != NO_REPLY
    own_postgres.stop()
    try:
        for _ in range(2):
            assert text_of(replica.say(0, sender, "交了14个月")) == NO_REPLY  # not an answer from a blank tracker
    finally:
        own_postgres.start()
    again = text_of(replica.say(0, sender, "交了14个月"))
    assert again != NO_REPLY
    events = replica.tracker(0, sender)
    assert [e["text"] for e in events["events"] if e.get("event") == "user"] == ["娃4岁没宁波户口能交医保不", "交了14个月"]
    assert events["slots"]["children_age"] == 4 and events["slots"]["employee_medical_months"] == 14
