"""Authentication of Rasa's HTTP API: the JWT secret, JWTs for staff and workers, and the server launcher.

Rasa's HTTP API (``rasa run --enable-api``: trackers, events, ``PUT /model``, ...) checks a JWT signed
with ``--jwt-secret`` (HS256) or a token (``--auth-token``), see ``requires_auth`` in ``rasa/server.py``:

- role ``admin`` may call every route (staff tools: reading a hand-off summary, releasing a conversation);
- role ``user`` may call only the routes of the conversation whose id equals the JWT's ``username``
  (``GET /conversations/<username>/tracker``, ...), and none of the others (``PUT /model``, ``/status``, ...);
- the token (``?token=...``) may call every route, like an admin.

The REST and WeChat channels (``/webhooks/...``) are not the HTTP API and need neither.

The secret comes from ``RASA_JWT_SECRET``, else from ``var/http_api_jwt_secret`` (git-ignored, mode 0600),
which ``run`` creates on first use. The token, optional, comes from ``RASA_AUTH_TOKEN``. Neither is ever
printed or put on a command line (where ``ps`` would show it): ``run`` hands them to Rasa's own command
line parser inside this process.

    python -m bot.auth token --role admin                       # a JWT for staff (1 h)
    python -m bot.auth token --role user --sender <sender_id>   # a JWT for one conversation
    python -m bot.auth run -- --model models/current.tar.gz --enable-api --interface 127.0.0.1 ...
"""

from __future__ import annotations

import argparse
import functools
import os
import secrets
import stat
import sys
import time
from http import HTTPStatus
from pathlib import Path
from typing import Any

import jwt

ROOT = Path(__file__).resolve().parent.parent
SECRET_FILE = ROOT / "var" / "http_api_jwt_secret"
SECRET_VARIABLE = "RASA_JWT_SECRET"
TOKEN_VARIABLE = "RASA_AUTH_TOKEN"
ALGORITHM = "HS256"  # Rasa's default --jwt-method
ROLES = ("admin", "user")
MIN_SECRET_CHARS = 32  # RFC 7518 §3.2: an HS256 key of at least 256 bits
DEFAULT_TTL = 3600  # seconds
# Flags run sets itself: a secret on the command line is readable by every local user (ps, /proc).
RESERVED_FLAGS = ("--jwt-secret", "--jwt-method", "--jwt-private-key", "--auth-token", "-t")


class AuthError(Exception):
    """A missing, unsafe or invalid secret, or a bad token request; the message says what to do."""


# ------------------------------------------------------------------------------------------------ secret


def _checked(value: str, where: str) -> str:
    value = value.strip()
    if len(value) < MIN_SECRET_CHARS:
        raise AuthError(f"{where} is shorter than {MIN_SECRET_CHARS} characters; use e.g. "
                        "python -c 'import secrets; print(secrets.token_urlsafe(48))'")
    return value


def _read_secret_file(path: Path) -> str:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AuthError(f"{path} can be read by other users (mode {stat.S_IMODE(mode):o}): chmod 600 {path}")
    return _checked(path.read_text(encoding="utf-8"), str(path))


def _create_secret_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: never overwrite a secret that tokens were already minted with; 0600 from the first byte.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))


def load_secret(create: bool = False, path: Path | None = None) -> tuple[str, str]:
    """(secret, where it came from): ``RASA_JWT_SECRET``, else the secret file (created if ``create``)."""
    path = path or SECRET_FILE
    if os.environ.get(SECRET_VARIABLE, "").strip():
        return _checked(os.environ[SECRET_VARIABLE], SECRET_VARIABLE), SECRET_VARIABLE
    if not path.exists():
        if not create:
            raise AuthError(f"no JWT secret: set {SECRET_VARIABLE}, or run `make serve` once to create {path}")
        _create_secret_file(path)
        return _read_secret_file(path), f"{path} (created now, mode 600)"
    return _read_secret_file(path), str(path)


def load_token() -> str | None:
    """The optional ``RASA_AUTH_TOKEN``."""
    value = os.environ.get(TOKEN_VARIABLE, "").strip()
    return _checked(value, TOKEN_VARIABLE) if value else None


# ------------------------------------------------------------------------------------------------ tokens


def mint(role: str, sender: str | None = None, *, secret: str | None = None, ttl: float = DEFAULT_TTL,
         now: float | None = None) -> str:
    """A JWT Rasa's HTTP API accepts: ``{"user": {"username", "role"}, "iat", "exp"}``, signed HS256.

    A ``user`` JWT is for the conversation ``sender`` only; an ``admin`` JWT for every route.
    """
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    if role == "user" and not sender:
        raise AuthError("a user JWT needs --sender (the conversation it may read)")
    if role == "admin" and sender:
        raise AuthError("an admin JWT is for every conversation: leave out --sender")
    if ttl <= 0:
        raise AuthError("ttl must be positive")
    issued = int(time.time() if now is None else now)
    payload = {"user": {"username": sender if role == "user" else "admin", "role": role},
               "iat": issued, "exp": issued + int(ttl)}
    return jwt.encode(payload, secret if secret is not None else load_secret()[0], algorithm=ALGORITHM)


def auth_header(token: str) -> dict[str, str]:
    """The header the HTTP API reads a JWT from."""
    return {"Authorization": f"Bearer {token}"}


# ------------------------------------------------------------------------------------------------ server


def refuse_invalid_jwts(app: Any) -> Any:
    """Answer 401, like any other invalid JWT, a JWT that PyJWT refuses and sanic-jwt 1.8 lets through as a
    500: one signed with another algorithm (``alg: none``, HS512; ``InvalidAlgorithmError``), or an
    Authorization header of bytes that are not UTF-8 (``UnicodeEncodeError`` in PyJWT)."""
    from rasa.server import ErrorResponse
    from sanic import response

    @app.exception(jwt.InvalidTokenError, UnicodeError)  # UnicodeError: a header of undecodable bytes
    async def not_authenticated(_request: Any, _exception: Exception) -> Any:
        error = ErrorResponse(HTTPStatus.UNAUTHORIZED, "NotAuthenticated", "User is not authenticated.")
        return response.json(error.error_info, status=error.status)

    return app


def install_jwt_fix() -> None:
    """Make ``rasa.server.create_app`` (which ``rasa run --enable-api`` calls) add ``refuse_invalid_jwts``."""
    import rasa.server

    create_app = rasa.server.create_app
    if getattr(create_app, "refuses_invalid_jwts", False):
        return

    @functools.wraps(create_app)
    def create_app_refusing_invalid_jwts(*args: Any, **kwargs: Any) -> Any:
        return refuse_invalid_jwts(create_app(*args, **kwargs))

    create_app_refusing_invalid_jwts.refuses_invalid_jwts = True  # type: ignore[attr-defined]
    rasa.server.create_app = create_app_refusing_invalid_jwts


def _option(args: list[str], *names: str, default: str) -> str:
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return default


def rasa_run_argv(args: list[str], secret: str, token: str | None) -> list[str]:
    """``rasa run`` with ``args`` and the JWT (and token) settings; refuses secrets among ``args``."""
    given = [a for a in args if a.split("=", 1)[0] in RESERVED_FLAGS]
    if given:
        raise AuthError(f"{', '.join(given)}: set by bot.auth (from {SECRET_VARIABLE} / {TOKEN_VARIABLE} or "
                        f"{SECRET_FILE.name}), never on the command line")
    # --flag=value: a secret that starts with "-" (token_urlsafe gives one in 64) is a value, not an option
    argv = ["rasa", "run", *args, f"--jwt-secret={secret}", "--jwt-method", ALGORITHM]
    return argv + [f"--auth-token={token}"] if token else argv


def usage_note(args: list[str], source: str, token: bool) -> str:
    """How to call the API (printed at start-up): commands, never the secret."""
    host = _option(args, "--interface", "-i", default="0.0.0.0")
    port = _option(args, "--port", "-p", default="5005")
    python = os.path.relpath(sys.executable) if sys.executable.startswith(str(Path.cwd())) else "python"
    lines = [
        f"bot.auth: the HTTP API on {host}:{port} needs a JWT ({ALGORITHM}, secret from {source}).",
        f"  staff:            TOKEN=$({python} -m bot.auth token --role admin)",
        f'                    curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:{port}/status',
        f"  one conversation: {python} -m bot.auth token --role user --sender <sender_id>",
    ]
    if token:
        lines.append(f"  or the token of {TOKEN_VARIABLE}: ...?token=$RASA_AUTH_TOKEN (every route, like admin)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        lines.append(f"  WARNING: --interface {host}: the HTTP API (PUT /model too) is reachable from other hosts")
    return "\n".join(lines)


def run_rasa(args: list[str]) -> None:
    """``rasa run`` in this process, with the secret handed to Rasa's parser through ``sys.argv``."""
    secret, source = load_secret(create=True)
    token = load_token()
    argv = rasa_run_argv(args, secret, token)
    print(usage_note(args, source, token is not None), file=sys.stderr, flush=True)
    from rasa.__main__ import main

    from bot import speedups

    install_jwt_fix()
    speedups.install()
    sys.argv = argv  # this process's argv in /proc still reads `python -m bot.auth run -- ...`
    main()


# ------------------------------------------------------------------------------------------------ CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.auth", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="print a JWT for the HTTP API")
    token.add_argument("--role", choices=ROLES, required=True)
    token.add_argument("--sender", help="the conversation a user JWT is for")
    token.add_argument("--ttl", type=float, default=DEFAULT_TTL, help="seconds until it expires (default 3600)")
    run = commands.add_parser("run", help="rasa run ARGS... with the JWT secret (created if missing)")
    run.add_argument("rasa_args", nargs=argparse.REMAINDER, help="arguments of `rasa run`, after --")
    args = parser.parse_args(argv)
    try:
        if args.command == "token":
            print(mint(args.role, args.sender, ttl=args.ttl))
        else:
            rasa_args = args.rasa_args[1:] if args.rasa_args[:1] == ["--"] else args.rasa_args
            run_rasa(rasa_args)
    except AuthError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
