"""The HTTP API of `make serve` needs a JWT or the token (bot/auth.py); the channels do not.

The app is Rasa's own (``configure_app`` with ``enable_api=True``, which calls ``rasa.server.create_app``),
with the JWT settings `python -m bot.auth run` gives it, served through Sanic's ASGI test client; the agent
is a stub (no model). Every route of the app is tried, so a route added by a later Rasa is covered too.
"""

import asyncio
import os
import re
import stat
import time
from pathlib import Path

import jwt
import pytest
from rasa.core.run import configure_app
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot import auth
from bot.channels.rest import RestInput
from bot.channels.wechat import WeChatInput, WeChatSettings
from tests.channels.conftest import FakeAgent

Sanic.test_mode = True  # a fresh app (same name) per test

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cret-for-tests-only-" + "k" * 50  # 72 bytes: long enough for the forged HS512 token too
TOKEN = "token-for-tests-only-" + "t" * 40
PUBLIC = {"/", "/version"}  # Rasa's hello and version routes answer anyone, by design


class StubProcessor:
    model_filename = "stub.tar.gz"

    def __init__(self) -> None:
        self.fetched: list[str] = []  # conversations whose tracker a handler read

    async def fetch_full_tracker_with_initial_session(self, conversation_id, output_channel=None):
        self.fetched.append(conversation_id)
        return DialogueStateTracker.from_events(conversation_id, [
            ActionExecuted("action_listen"), UserUttered(f"我是{conversation_id}，孩子4岁")])


class StubAgent(FakeAgent):
    """FakeAgent for the channels, plus what the API handlers touch."""

    def __init__(self) -> None:
        super().__init__()
        self.processor = StubProcessor()
        self.model_id = "stub-model"

    def is_ready(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def rasa_as_bot_auth_runs_it(monkeypatch):
    """What `python -m bot.auth run` does to Rasa before starting it (bot.auth.install_jwt_fix)."""
    import rasa.server

    monkeypatch.setattr(rasa.server, "create_app", rasa.server.create_app)  # undone after each test
    auth.install_jwt_fix()


def api_app(agent=None, auth_token=None):
    channels = [RestInput(), WeChatInput(WeChatSettings())]
    app = configure_app(channels, enable_api=True, jwt_secret=SECRET, jwt_method=auth.ALGORITHM,
                        auth_token=auth_token)
    app.ctx.agent = agent or StubAgent()
    return app


def call(app, requests):
    """[(method, path, headers)] -> [response], on one event loop."""
    async def body():
        out = []
        for method, path, headers in requests:
            kwargs = {"headers": headers}
            if method in ("POST", "PUT"):
                kwargs["json"] = {}
            _, reply = await getattr(app.asgi_client, method.lower())(path, **kwargs)
            out.append(reply)
        return out

    return asyncio.run(asyncio.wait_for(body(), timeout=60))


def bearer(role="admin", sender=None, secret=SECRET, **kwargs) -> dict:
    return auth.auth_header(auth.mint(role, sender, secret=secret, **kwargs))


def api_routes(app) -> list[tuple[str, str]]:
    """(method, concrete path) of every route that is not a channel's (/webhooks/...)."""
    routes = []
    for route in app.router.routes:
        path = "/" + route.path.lstrip("/")
        if path.startswith("/webhooks/"):
            continue
        concrete = re.sub(r"<conversation_id[^>]*>", "worker-b", path)
        assert "<" not in concrete, f"a route with another parameter: {path}"
        routes += [(method, concrete) for method in sorted(route.methods) if method not in ("OPTIONS", "HEAD")]
    return routes


def forged_tokens() -> dict[str, str]:
    now = int(time.time())
    good = auth.mint("admin", secret=SECRET)
    header, payload, signature = good.split(".")
    user_a = auth.mint("user", "worker-a", secret=SECRET)
    user_b_payload = jwt.utils.base64url_encode(
        b'{"user":{"username":"worker-b","role":"admin"},"exp":%d}' % (now + 3600)).decode()
    return {
        "other secret": auth.mint("admin", secret="another-secret-" + "z" * 40),
        "expired": auth.mint("admin", secret=SECRET, ttl=60, now=now - 3600),
        "alg none": jwt.encode({"user": {"username": "x", "role": "admin"}, "exp": now + 3600}, None,
                               algorithm="none"),
        "HS512": jwt.encode({"user": {"username": "x", "role": "admin"}, "exp": now + 3600}, SECRET,
                            algorithm="HS512"),
        "payload swapped": f"{user_a.split('.')[0]}.{user_b_payload}.{user_a.split('.')[2]}",
        "signature cut": f"{header}.{payload}.{signature[:-4]}",
        "garbage": "not-a-jwt",
    }


# ------------------------------------------------------------------------------------------------ the API


def test_every_api_route_refuses_a_request_without_a_valid_jwt_or_token():
    app = api_app(auth_token=TOKEN)
    routes = [r for r in api_routes(app) if r[1] not in PUBLIC]
    assert len(routes) >= 19, routes  # rasa 3.6's API routes, sanic-jwt's /auth routes
    assert ("PUT", "/model") in routes and ("GET", "/conversations/worker-b/tracker") in routes
    attempts = [("none", {}, "")] + [(name, auth.auth_header(t), "") for name, t in forged_tokens().items()]
    attempts.append(("wrong ?token=", {}, "?token=" + TOKEN[:-1] + "x"))
    requests = [(method, path + query, headers) for method, path in routes for _, headers, query in attempts]
    replies = call(app, requests)
    labels = [(method, path, name) for method, path in routes for name, _, _ in attempts]
    refused = {label: reply.status for label, reply in zip(labels, replies, strict=True)}
    assert {label: status for label, status in refused.items() if status not in (401, 403)} == {}
    assert app.ctx.agent.processor.fetched == []  # no handler ran


def test_a_user_jwt_for_another_conversation_opens_no_route():
    app = api_app()
    routes = [r for r in api_routes(app) if r[1] not in PUBLIC and not r[1].startswith("/auth")]
    assert len(routes) >= 17  # rasa's own; sanic-jwt's /auth/verify only says whether the JWT is valid
    replies = call(app, [(m, p, bearer("user", "worker-a")) for m, p in routes])
    assert {r: reply.status for r, reply in zip(routes, replies, strict=True) if reply.status != 403} == {}
    assert app.ctx.agent.processor.fetched == []


def test_sanic_jwt_still_answers_a_foreign_algorithm_with_500_without_the_fix(monkeypatch):
    """Why bot.auth.install_jwt_fix exists; when this fails, sanic-jwt handles it and the fix can go."""
    import rasa.server

    monkeypatch.setattr(rasa.server, "create_app", rasa.server.create_app.__wrapped__)
    app = api_app()
    (reply,) = call(app, [("GET", "/status", auth.auth_header(forged_tokens()["HS512"]))])
    assert reply.status == 500
    assert app.ctx.agent.processor.fetched == []


def test_only_hello_and_version_are_public():
    app = api_app()
    public = [(m, p) for m, p in api_routes(app) if p in PUBLIC]
    assert sorted(public) == [("GET", "/"), ("GET", "/version")]
    hello, version = call(app, [("GET", "/", {}), ("GET", "/version", {})])
    assert hello.status == version.status == 200
    assert "tracker" not in hello.text and set(version.json) == {"version", "minimum_compatible_version"}


def test_a_user_jwt_reads_its_own_conversation_and_no_other():
    app = api_app()
    as_a = bearer("user", "worker-a")
    own, other, other_events, tricky = call(app, [
        ("GET", "/conversations/worker-a/tracker", as_a),
        ("GET", "/conversations/worker-b/tracker", as_a),
        ("POST", "/conversations/worker-b/tracker/events", as_a),
        ("GET", "/conversations/worker-a%2F..%2Fworker-b/tracker", as_a),
    ])
    assert own.status == 200 and own.json["sender_id"] == "worker-a"
    assert "我是worker-a，孩子4岁" in [e.get("text") for e in own.json["events"]]
    assert [other.status, other_events.status, tricky.status] == [403, 403, 403]
    assert other.json["reason"] == "NotAuthorized"
    assert app.ctx.agent.processor.fetched == ["worker-a"]  # B's tracker was never even loaded


def test_a_user_jwt_cannot_use_the_routes_of_no_conversation():
    app = api_app()
    as_a = bearer("user", "worker-a")
    replies = call(app, [("PUT", "/model", as_a), ("DELETE", "/model", as_a), ("GET", "/status", as_a),
                         ("GET", "/domain", as_a), ("POST", "/model/parse", as_a), ("POST", "/model/train", as_a)])
    assert [r.status for r in replies] == [403] * 6


def test_an_admin_jwt_reads_any_conversation_and_may_swap_the_model():
    app = api_app()
    admin = bearer("admin")
    b_tracker, status, put_model = call(app, [("GET", "/conversations/worker-b/tracker", admin),
                                              ("GET", "/status", admin), ("PUT", "/model", admin)])
    assert b_tracker.status == 200 and b_tracker.json["sender_id"] == "worker-b"
    assert status.status == 200 and status.json["model_id"] == "stub-model"
    # Past the auth check: Rasa's own handler refuses a body without a model file; nothing is swapped.
    assert put_model.status == 400 and put_model.json["reason"] == "BadRequest", put_model.json
    assert isinstance(app.ctx.agent, StubAgent) and app.ctx.agent.processor.fetched == ["worker-b"]


def test_the_token_is_accepted_like_an_admin():
    app = api_app(auth_token=TOKEN)
    ok, wrong = call(app, [("GET", f"/conversations/worker-b/tracker?token={TOKEN}", {}),
                           ("GET", f"/conversations/worker-b/tracker?token={TOKEN}x", {})])
    assert (ok.status, wrong.status) == (200, 401)


def test_an_expired_jwt_is_refused_a_fresh_one_accepted():
    app = api_app()
    now = time.time()
    expired, fresh = call(app, [
        ("GET", "/conversations/worker-a/tracker", bearer("user", "worker-a", ttl=60, now=now - 600)),
        ("GET", "/conversations/worker-a/tracker", bearer("user", "worker-a", ttl=60, now=now)),
    ])
    assert (expired.status, fresh.status) == (401, 200)


def test_the_channels_need_no_jwt():
    app = api_app()
    rest, wechat_health = call(app, [("POST", "/webhooks/rest/webhook", {}), ("GET", "/webhooks/wechat/", {})])
    assert rest.status == 400  # reached the channel, which refuses the empty body itself

    async def say():
        _, reply = await app.asgi_client.post("/webhooks/rest/webhook", json={"sender": "w", "message": "你好"})
        return reply

    assert asyncio.run(say()).json == [{"recipient_id": "w", "text": "收到：你好"}]
    assert wechat_health.status == 200


# ------------------------------------------------------------------------------------------------ bot.auth


def test_minted_jwts_carry_rasas_claims():
    claims = jwt.decode(auth.mint("user", "oWX-1", secret=SECRET, ttl=120), SECRET, algorithms=["HS256"])
    assert claims["user"] == {"username": "oWX-1", "role": "user"}
    assert claims["exp"] - claims["iat"] == 120
    assert jwt.decode(auth.mint("admin", secret=SECRET), SECRET, algorithms=["HS256"])["user"]["role"] == "admin"
    for role, sender in (("user", None), ("admin", "oWX-1"), ("root", None)):
        with pytest.raises(auth.AuthError):
            auth.mint(role, sender, secret=SECRET)


def test_the_secret_file_is_created_once_with_mode_600(tmp_path, monkeypatch):
    monkeypatch.delenv(auth.SECRET_VARIABLE, raising=False)
    path = tmp_path / "var" / "http_api_jwt_secret"
    with pytest.raises(auth.AuthError, match="no JWT secret"):
        auth.load_secret(path=path)
    secret, source = auth.load_secret(create=True, path=path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "created" in source
    assert len(secret) >= auth.MIN_SECRET_CHARS
    assert auth.load_secret(create=True, path=path) == (secret, str(path))  # reused, not replaced
    os.chmod(path, 0o644)
    with pytest.raises(auth.AuthError, match="chmod 600"):
        auth.load_secret(path=path)


def test_the_environment_wins_and_a_short_secret_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(auth.SECRET_VARIABLE, SECRET)
    assert auth.load_secret(create=True, path=tmp_path / "s") == (SECRET, auth.SECRET_VARIABLE)
    assert not (tmp_path / "s").exists()
    monkeypatch.setenv(auth.SECRET_VARIABLE, "short")
    with pytest.raises(auth.AuthError, match="shorter"):
        auth.load_secret()


def test_the_token_command_prints_a_jwt_and_nothing_else(monkeypatch, capsys):
    monkeypatch.setenv(auth.SECRET_VARIABLE, SECRET)
    assert auth.main(["token", "--role", "user", "--sender", "worker-a"]) == 0
    out, err = capsys.readouterr()
    claims = jwt.decode(out.strip(), SECRET, algorithms=["HS256"])
    assert claims["user"]["username"] == "worker-a" and SECRET not in out + err
    assert auth.main(["token", "--role", "user"]) == 2 and "--sender" in capsys.readouterr().err


def test_run_hands_the_secret_to_rasa_in_process_and_prints_only_how_to_use_it(tmp_path, monkeypatch, capsys):
    import rasa.__main__
    import rasa.server

    monkeypatch.setattr(rasa.server, "create_app", rasa.server.create_app.__wrapped__)  # as before bot.auth
    monkeypatch.delenv(auth.SECRET_VARIABLE, raising=False)
    monkeypatch.setenv(auth.TOKEN_VARIABLE, TOKEN)
    monkeypatch.setattr(auth, "SECRET_FILE", tmp_path / "var" / "http_api_jwt_secret")
    seen = {}
    monkeypatch.setattr(rasa.__main__, "main", lambda: seen.setdefault("argv", list(__import__("sys").argv)))
    args = ["--model", "models/current.tar.gz", "--enable-api", "--interface", "127.0.0.1", "--port", "5005"]
    assert auth.main(["run", "--", *args]) == 0
    secret = (tmp_path / "var" / "http_api_jwt_secret").read_text()
    assert seen["argv"] == ["rasa", "run", *args, f"--jwt-secret={secret}", "--jwt-method", "HS256",
                            f"--auth-token={TOKEN}"]
    assert rasa.server.create_app.refuses_invalid_jwts  # the fix for sanic-jwt's 500 is in place
    _, err = capsys.readouterr()
    assert "bot.auth token --role admin" in err and "Authorization: Bearer" in err and "127.0.0.1:5005" in err
    assert secret not in err and TOKEN not in err
    assert auth.main(["run", "--", *args, "--jwt-secret", "x" * 40]) == 2  # never on a command line
    assert "never on the command line" in capsys.readouterr().err


def test_a_secret_that_starts_with_a_dash_reaches_rasa_as_the_secret():
    """token_urlsafe gives a leading "-" once in 64: Rasa's parser must read it as the value of the flag."""
    from rasa.__main__ import create_argument_parser

    secret, token = "-" + "s" * 47, "--looks-like-a-flag"
    argv = auth.rasa_run_argv(["--model", "models/current.tar.gz"], secret, token)
    parsed = create_argument_parser().parse_args(argv[1:])
    assert parsed.jwt_secret == secret and parsed.auth_token == token


def test_make_serve_starts_rasa_through_bot_auth_on_loopback():
    recipe = (ROOT / "Makefile").read_text().split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "-m bot.auth run --" in recipe and "--enable-api" in recipe and "--interface 127.0.0.1" in recipe
    assert "$(RASA) run --model" not in recipe  # no unauthenticated start left
    assert "var/" in (ROOT / ".gitignore").read_text().split()


def test_an_authorization_header_of_bytes_that_are_not_utf8_is_401_not_500():
    """Sanic keeps such bytes as surrogates; PyJWT then raises UnicodeEncodeError (found by
    tests/channels/test_fuzz.py on the staff routes)."""
    app = api_app()
    _, reply = app.test_client.get("/status", headers={"Authorization": b"Bearer \xff\xfe"})  # a real HTTP parse
    assert reply.status == 401
    assert app.ctx.agent.processor.fetched == []
