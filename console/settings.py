"""Where the console listens, what it talks to and how long things last: environment first, then defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 5080
    db_url: str = f"sqlite:///{ROOT / 'var' / 'console.db'}"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout: float = 10.0            # seconds for one call to Rasa
    session_idle: int = 60 * 60           # a session ends after an hour without a request
    session_max: int = 12 * 60 * 60       # and after a shift of 12 hours in any case
    max_failures: int = 5                 # wrong passwords in a row before the account locks
    lockout: int = 15 * 60                # seconds the account stays locked
    secure_cookies: bool = True           # browsers keep Secure cookies on http://127.0.0.1 and localhost
    min_password: int = 10
    max_turn_chars: int = 2000            # one caller turn typed or pasted into the assist page
    max_turns: int = 30

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        d = cls()
        return cls(
            host=env.get("CONSOLE_HOST", d.host),
            port=int(env.get("CONSOLE_PORT", d.port)),
            db_url=env.get("CONSOLE_DB_URL", d.db_url),
            rasa_url=env.get("RASA_URL", d.rasa_url).rstrip("/"),
            secure_cookies=env.get("CONSOLE_INSECURE_COOKIES", "") != "1",
        )
