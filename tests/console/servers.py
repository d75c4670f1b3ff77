"""Start the console as `make console` does, beside the e2e servers (Rasa + actions), on a free port with a
throwaway database, and create staff accounts through its CLI. Shared by the browser tests and
`python -m bench.console`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from bot import auth
from bot.wait_for import wait_for
from tests.e2e.servers import ROOT, _start, _stop, free_port

PASSWORD = "hotline-test-password"


class Console:
    def __init__(self, url: str, workdir: Path, env: dict) -> None:
        self.url, self.workdir, self.env = url, workdir, env

    def add_user(self, username: str, name: str, role: str = "staff") -> None:
        subprocess.run([sys.executable, "-m", "console", "add-user", username, "--name", name, "--role", role],
                       cwd=ROOT, env={**self.env, "CONSOLE_PASSWORD": PASSWORD}, check=True,
                       capture_output=True, timeout=60)

    def log(self) -> str:
        return (self.workdir / "console.log").read_text(errors="replace")[-4000:]


@contextmanager
def running_console(rasa_url: str, secret: str, wait_seconds: float = 60):
    workdir = Path(tempfile.mkdtemp(prefix="ysly-console-"))
    port = free_port()
    env = {**os.environ, "CONSOLE_PORT": str(port), "CONSOLE_HOST": "127.0.0.1",
           "CONSOLE_DB_URL": f"sqlite:///{workdir / 'console.db'}", "RASA_URL": rasa_url,
           auth.SECRET_VARIABLE: secret, "PYTHONUNBUFFERED": "1"}
    proc = _start([sys.executable, "-m", "console", "serve"], workdir / "console.log", env)
    console = Console(f"http://127.0.0.1:{port}", workdir, env)
    try:
        if not wait_for(f"{console.url}/health", wait_seconds) or proc.poll() is not None:
            raise RuntimeError(f"console did not start:\n{console.log()}")
        yield console
    finally:
        _stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)
