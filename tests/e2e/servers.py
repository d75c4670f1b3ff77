"""Start the action server and the Rasa server on free loopback ports with a throwaway tracker store.

Shared by the end-to-end tests and `python -m bench.dialogue`. Nothing here touches var/: the endpoints
file, the SQLite tracker store and the logs live in a temporary directory. The HTTP API runs as `make serve`
runs it (python -m bot.auth run: a JWT required), with a throwaway secret; staff calls send an admin JWT.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bot import auth
from bot.wait_for import wait_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
AS_OF = "2026-11-24"  # answers are for a fixed date so verdicts do not drift


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Servers:
    def __init__(self, workdir: Path, rasa_port: int, actions_port: int, procs: dict, secret: str = ""):
        self.workdir, self.rasa_port, self.actions_port, self.procs = workdir, rasa_port, actions_port, procs
        self.url = f"http://127.0.0.1:{rasa_port}"
        self.secret = secret

    def _admin(self) -> dict[str, str]:
        return auth.auth_header(auth.mint("admin", secret=self.secret))

    def say(self, sender: str, text: str, timeout: float = 30) -> list[dict]:
        """One user turn through the REST channel; the bot's messages."""
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def tracker(self, sender: str) -> dict:
        request = urllib.request.Request(f"{self.url}/conversations/{sender}/tracker", headers=self._admin())
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def add_events(self, sender: str, events: list[dict]) -> dict:
        """What hotline staff do to release a conversation (README: 转人工与释放)."""
        request = urllib.request.Request(f"{self.url}/conversations/{sender}/tracker/events",
                                         data=json.dumps(events).encode(),
                                         headers={"Content-Type": "application/json", **self._admin()},
                                         method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")[-4000:]


def _start(cmd: list[str], log: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the process group we created for it
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=5)


@contextmanager
def running_servers(model: Path, wait_seconds: float = 180):
    workdir = Path(tempfile.mkdtemp(prefix="ysly-e2e-"))
    rasa_port, actions_port = free_port(), free_port()
    (workdir / "endpoints.yml").write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n  enable_selective_domain: true\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{workdir / "tracker.db"}"\n')
    (workdir / "credentials.yml").write_text("bot.channels.rest.RestInput:\nbot.channels.staff.StaffInput:\n")
    secret = secrets.token_urlsafe(48)
    env = {**os.environ, "YSLY_AS_OF": os.environ.get("YSLY_AS_OF", AS_OF), "TF_CPP_MIN_LOG_LEVEL": "3",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
           auth.SECRET_VARIABLE: secret}
    env.pop(auth.TOKEN_VARIABLE, None)
    procs = {}
    try:
        procs["actions"] = _start([str(BIN / "rasa"), "run", "actions", "--actions", "actions",
                                   "--port", str(actions_port)], workdir / "actions.log", env)
        procs["rasa"] = _start([sys.executable, "-m", "bot.auth", "run", "--", "--model", str(model), "--endpoints",
                                str(workdir / "endpoints.yml"), "--credentials", str(workdir / "credentials.yml"),
                                "--enable-api", "--interface", "127.0.0.1", "--port", str(rasa_port)],
                               workdir / "rasa.log", env)
        servers = Servers(workdir, rasa_port, actions_port, procs, secret)
        deadline = time.monotonic() + wait_seconds
        for name, url in (("actions", f"http://127.0.0.1:{actions_port}/health"),
                          ("rasa", f"http://127.0.0.1:{rasa_port}/")):   # /status needs a JWT
            if not wait_for(url, max(1.0, deadline - time.monotonic())) or procs[name].poll() is not None:
                raise RuntimeError(f"{name} server did not start:\n{servers.log(name)}")
        # warm-up: the first search loads the clause index
        servers.say("warm-up", "公司拖欠工资怎么办")
        yield servers
    finally:
        for proc in procs.values():
            _stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)  # logs, endpoints and the throwaway tracker store
