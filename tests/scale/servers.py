"""The `scale` profile on one machine: one action server and N Rasa replicas sharing a PostgreSQL tracker
store (a throwaway database) and the Redis lock store (bot/endpoints-scale.yml, as `make serve PROFILE=scale`
runs it). Shared by tests/scale/ and benchmarks; nothing touches var/."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from bot import auth
from bot.wait_for import wait_for
from tests.e2e.servers import AS_OF, BIN, ROOT, _start, _stop, free_port

POSTGRES = {"POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": "5432", "POSTGRES_USER": "postgres",
            "POSTGRES_PASSWORD": ""}
REDIS_URL = "redis://127.0.0.1:6379/14"


def _admin_url(database: str = "postgres", pg: dict | None = None) -> str:
    pg = {**POSTGRES, **(pg or {})}
    return f"postgresql://{pg['POSTGRES_USER']}@{pg['POSTGRES_HOST']}:{pg['POSTGRES_PORT']}/{database}"


def create_database(name: str, pg: dict | None = None) -> None:
    """Created beforehand: replicas starting together would race to create it."""
    import sqlalchemy as sa

    engine = sa.create_engine(_admin_url(pg=pg), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()


def drop_database(name: str, pg: dict | None = None) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(_admin_url(pg=pg), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


class Replicas:
    def __init__(self, workdir: Path, ports: list[int], actions_port: int, env: dict, model: Path,
                 endpoints: Path = ROOT / "bot" / "endpoints-scale.yml") -> None:
        self.workdir, self.ports, self.actions_port, self.env, self.model = workdir, ports, actions_port, env, model
        self.endpoints = endpoints
        self.procs: dict[str, subprocess.Popen] = {}
        self.secret = env[auth.SECRET_VARIABLE]

    def url(self, replica: int) -> str:
        return f"http://127.0.0.1:{self.ports[replica]}"

    def say(self, replica: int, sender: str, text: str, timeout: float = 60) -> list[dict]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(f"{self.url(replica)}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def tracker(self, replica: int, sender: str) -> dict:
        headers = auth.auth_header(auth.mint("admin", secret=self.secret))
        request = urllib.request.Request(f"{self.url(replica)}/conversations/{sender}/tracker", headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def start_actions(self) -> None:
        self.procs["actions"] = _start([str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port",
                                        str(self.actions_port)], self.workdir / "actions.log", self.env)

    def start_replica(self, i: int) -> None:
        self.procs[f"rasa{i}"] = _start(
            [sys.executable, "-m", "bot.auth", "run", "--", "--model", str(self.model), "--endpoints",
             str(self.endpoints), "--credentials", str(self.workdir / "credentials.yml"),
             "--enable-api", "--interface", "127.0.0.1", "--port", str(self.ports[i])],
            self.workdir / f"rasa{i}.log", self.env)

    def wait(self, names: list[str], seconds: float = 240) -> None:
        deadline = time.monotonic() + seconds
        for name in names:
            url = (f"http://127.0.0.1:{self.actions_port}/health" if name == "actions"
                   else f"{self.url(int(name[4:]))}/")
            if not wait_for(url, max(1.0, deadline - time.monotonic())) or self.procs[name].poll() is not None:
                raise RuntimeError(f"{name} did not start:\n{self.log(name)}")

    def kill(self, name: str) -> None:
        """SIGKILL: no shutdown hook runs, as when a machine dies."""
        proc = self.procs[name]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


@contextmanager
def running_replicas(model: Path, n: int = 2, endpoints: Path = ROOT / "bot" / "endpoints-scale.yml",
                     **env_overrides: str):
    workdir = Path(tempfile.mkdtemp(prefix="ysly-scale-"))
    database = f"ysly_test_{uuid.uuid4().hex[:10]}"
    pg = {k: v for k, v in env_overrides.items() if k.startswith("POSTGRES_")}
    create_database(database, pg)
    (workdir / "credentials.yml").write_text("bot.channels.rest.RestInput:\nbot.channels.staff.StaffInput:\n")
    actions_port = free_port()
    env = {**os.environ, **POSTGRES, "POSTGRES_DB": database, "REDIS_URL": REDIS_URL,
           "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
           "YSLY_AS_OF": os.environ.get("YSLY_AS_OF", AS_OF), "TF_CPP_MIN_LOG_LEVEL": "3",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
           auth.SECRET_VARIABLE: secrets.token_urlsafe(48), **env_overrides}
    env.pop(auth.TOKEN_VARIABLE, None)
    replicas = Replicas(workdir, [free_port() for _ in range(n)], actions_port, env, model, endpoints)
    try:
        replicas.start_actions()
        for i in range(n):
            replicas.start_replica(i)
        replicas.wait(["actions"] + [f"rasa{i}" for i in range(n)])
        yield replicas
    finally:
        for proc in replicas.procs.values():
            _stop(proc)
        try:
            drop_database(database, pg)
        except Exception:  # the test's own server may be gone already
            pass
        shutil.rmtree(workdir, ignore_errors=True)
