"""The console's web app (Sanic, pages rendered with Jinja2): ``create_app(settings)``.

Every page but /login, /health and /static needs a live session; every POST carries the session's CSRF
token (the login form a cookie-bound one). Pages that show a worker's conversation read it from Rasa
(console.rasa_client); what staff do is kept in console.store and written to the audit log.
"""

from __future__ import annotations

import itertools
import logging
import time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic
from sanic.exceptions import NotFound, PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse, html, json, redirect

from console import conversation as conv
from console import pages
from console.check import outcome_label
from console.masking import mask
from console.rasa_client import RasaClient, RasaRefused, RasaUnavailable
from console.security import Accounts, new_token, same
from console.settings import Settings
from console.store import Staff, Store

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
PUBLIC = ("/login", "/health", "/favicon.ico")
MAX_REPLY_BYTES = 2048  # WeChat's limit for one text message
MAX_NOTE_CHARS = 2000
QUEUE_TTL = 2.0  # seconds the polled queue is shared between pages
_names = itertools.count()


@cache
def messages() -> dict[str, Any]:
    return yaml.safe_load((HERE / "data" / "messages.yaml").read_text(encoding="utf-8"))


def message(key: str, **values: Any) -> str:
    return messages()[key].format(**values)


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["clock"] = conv.clock
    env.filters["waited"] = conv.waited
    env.filters["mask"] = mask
    env.filters["outcome_label"] = outcome_label
    env.filters["fact_label"] = conv.fact_label
    env.filters["id"] = lambda s: quote(str(s), safe="")
    return env


def _safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no //host, no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def create_app(settings: Settings | None = None, store: Store | None = None,
               rasa: RasaClient | None = None) -> Sanic:
    settings = settings or Settings.from_env()
    app = Sanic(f"console_{next(_names)}")
    app.config.REQUEST_MAX_SIZE = 256 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "html"
    app.ctx.settings = settings
    app.ctx.store = store or Store(settings.db_url)
    app.ctx.accounts = Accounts(app.ctx.store, settings)
    app.ctx.rasa = rasa or RasaClient(settings.rasa_url, settings.rasa_timeout)
    app.ctx.templates = _templates()
    app.static("/static", str(HERE / "static"))

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
        context.setdefault("staff", getattr(request.ctx, "staff", None))
        context.setdefault("csrf", getattr(request.ctx, "csrf", None))
        context.setdefault("notice", None)
        context.setdefault("error", None)
        context["path"] = request.path
        body = app.ctx.templates.get_template(template).render(**context)
        return html(body, status=status)

    def cookie(response: HTTPResponse, name: str, value: str, max_age: int | None) -> None:
        response.cookies[name] = value
        response.cookies[name]["httponly"] = True
        response.cookies[name]["samesite"] = "Strict"
        response.cookies[name]["path"] = "/"
        if settings.secure_cookies:
            response.cookies[name]["secure"] = True
        if max_age is not None:
            response.cookies[name]["max-age"] = max_age

    def refuse(request: Request, status: int, text: str) -> HTTPResponse:
        if request.path.endswith(".json"):
            return json({"status": "failure", "message": text}, status=status)
        return page(request, "error.html", status=status, error=text)

    # ---------------------------------------------------------------------------------- middleware
    @app.middleware("request")
    async def authenticate(request: Request) -> HTTPResponse | None:
        request.ctx.staff, request.ctx.csrf, request.ctx.token = None, None, None
        if request.path.startswith("/static/") or request.path in PUBLIC:
            return None
        token = request.cookies.get(SESSION_COOKIE)
        found = app.ctx.accounts.session(token)
        if found is None:
            if request.method == "GET" and not request.path.endswith(".json"):
                return redirect("/login?" + urlencode({"next": request.path}))
            return refuse(request, 401, message("login_needed"))
        request.ctx.staff, request.ctx.csrf = found
        request.ctx.token = token
        if request.method not in ("GET", "HEAD") and not same(_form(request, "csrf_token"), request.ctx.csrf):
            app.ctx.store.audit(request.ctx.staff.username, "csrf_refused", path=request.path)
            return refuse(request, 403, message("csrf"))
        return None

    @app.middleware("response")
    async def harden(request: Request, response: HTTPResponse) -> None:
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"

    @app.exception(NotFound)
    async def not_found(request: Request, _e: Exception) -> HTTPResponse:
        return refuse(request, 404, message("not_found"))

    @app.exception(PayloadTooLarge)
    async def too_large(request: Request, _e: Exception) -> HTTPResponse:
        return refuse(request, 413, message("too_large"))

    @app.exception(RasaUnavailable)
    async def rasa_down(request: Request, _e: Exception) -> HTTPResponse:
        return refuse(request, 503, message("rasa_down"))

    @app.exception(RasaRefused)
    async def rasa_refused(request: Request, e: RasaRefused) -> HTTPResponse:
        detail = e.body.get("message", "") if isinstance(e.body, dict) else ""
        return refuse(request, 502, message("rasa_refused", status=e.status, message=mask(detail)))

    @app.exception(Exception)
    async def server_error(request: Request, e: Exception) -> HTTPResponse:
        logger.exception("console: %s %s failed", request.method, request.path)
        return refuse(request, 500, message("server_error"))

    # ---------------------------------------------------------------------------------- login
    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    @app.get("/favicon.ico")
    async def favicon(_request: Request) -> HTTPResponse:
        return HTTPResponse(status=204)

    @app.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        # one token per browser, kept while it lives: a second tab (or any request that lands here) must not
        # invalidate the form already on screen
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
        if len(token) != len(new_token()):
            token = new_token()
        response = page(request, "login.html", login_csrf=token, next=_safe_next(request.args.get("next")))
        cookie(response, LOGIN_CSRF_COOKIE, token, 30 * 60)
        return response

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        target = _safe_next(_form(request, "next"))
        if not same(_form(request, "csrf_token"), request.cookies.get(LOGIN_CSRF_COOKIE)):
            return refuse(request, 403, message("csrf"))
        username, password = _form(request, "username").strip(), _form(request, "password")
        result = app.ctx.accounts.login(username, password)
        if result.staff is None:
            error = (message("locked", minutes=max(1, result.locked_for // 60)) if result.error == "locked"
                     else message("bad_login"))
            token = new_token()
            response = page(request, "login.html", status=401, error=error, login_csrf=token, next=target,
                            username=username)
            cookie(response, LOGIN_CSRF_COOKIE, token, 30 * 60)
            return response
        response = redirect(target)
        cookie(response, SESSION_COOKIE, result.token, settings.session_max)
        del response.cookies[LOGIN_CSRF_COOKIE]
        return response

    @app.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        app.ctx.accounts.logout(request.ctx.token, request.ctx.staff)
        response = redirect("/login")
        del response.cookies[SESSION_COOKIE]
        return response

    @app.get("/")
    async def home(_request: Request) -> HTTPResponse:
        return redirect("/assist")

    # ---------------------------------------------------------------------------------- assist / check / search
    pages.register(app, page, message)

    # ---------------------------------------------------------------------------------- hand-off queue
    # Every open page polls the queue every 5 s; within QUEUE_TTL they share one answer from Rasa (each is one
    # query over the whole tracker store). Claims are the console's own and always current.
    app.ctx.queue_cache = (0.0, [])

    async def queue_rows(fresh: bool = False) -> list[dict]:
        fetched_at, rows = app.ctx.queue_cache
        if fresh or time.monotonic() - fetched_at > QUEUE_TTL:
            rows = await app.ctx.rasa.queue()
            app.ctx.queue_cache = (time.monotonic(), rows)
        claims = app.ctx.store.claims([r["sender_id"] for r in rows])
        return conv.queue_rows(rows, claims)

    @app.get("/queue")
    async def queue(request: Request) -> HTTPResponse:
        rows = await queue_rows(fresh=True)
        return page(request, "queue.html", rows=rows, now=time.time())

    @app.get("/queue.json")
    async def queue_json(_request: Request) -> HTTPResponse:
        rows = await queue_rows()
        return json({"count": len(rows), "unclaimed": sum(1 for r in rows if not r["claimed_by"]),
                     "conversations": [{"sender_id": r["sender_id"], "handed_off_at": r["handed_off_at"]}
                                       for r in rows]})

    def claim_state(sender_id: str, staff: Staff) -> tuple[Any, bool]:
        claim = app.ctx.store.claim_of(sender_id)
        return claim, bool(claim and claim.staff.id == staff.id)

    def back(sender_id: str, done: str, **extra: str) -> HTTPResponse:
        query = urlencode({"done": done, **extra})
        return redirect(f"/conversations/{quote(sender_id, safe='')}?{query}")

    @app.get("/conversations/<sender_id:str>")
    async def conversation(request: Request, sender_id: str) -> HTTPResponse:
        staff = request.ctx.staff
        tracker = await app.ctx.rasa.tracker(sender_id)
        view = conv.conversation_view(sender_id, tracker, time.time())
        claim, mine = claim_state(sender_id, staff)
        app.ctx.store.audit(staff.username, "open", sender_id)
        done = request.args.get("done")
        notice = _notice(done, request.args.get("reason"), claim)
        return page(request, "conversation.html", view=view, claim=claim, mine=mine,
                    notes=app.ctx.store.notes(sender_id), notice=notice,
                    error=notice if done in ("claimed_by_other", "claim_first", "not_delivered", "reply_empty",
                                             "reply_too_long", "note_empty", "not_handed_off") else None)

    def _notice(done: str | None, reason: str | None, claim: Any) -> str | None:
        if not done or done not in messages():
            return None
        if done == "claimed_by_other":
            return message(done, name=claim.staff.display_name if claim else "")
        if done == "not_delivered":
            return message(done, reason=messages()["reasons"].get(reason or "", reason or ""))
        if done == "reply_too_long":
            return message(done, limit=MAX_REPLY_BYTES, chars=MAX_REPLY_BYTES // 3)
        if done == "delivered":
            return message(done, channel=reason or "")
        return message(done)

    @app.post("/conversations/<sender_id:str>/claim")
    async def claim(request: Request, sender_id: str) -> HTTPResponse:
        staff = request.ctx.staff
        held = app.ctx.store.claim(sender_id, staff, time.time())
        if held.staff.id != staff.id:
            app.ctx.store.audit(staff.username, "claim_refused", sender_id, held_by=held.staff.username)
            return back(sender_id, "claimed_by_other")
        app.ctx.store.audit(staff.username, "claim", sender_id)
        return back(sender_id, "claimed")

    def must_hold(sender_id: str, staff: Staff, action: str) -> HTTPResponse | None:
        claim, mine = claim_state(sender_id, staff)
        if mine:
            return None
        app.ctx.store.audit(staff.username, f"{action}_refused", sender_id,
                            held_by=claim.staff.username if claim else None)
        return back(sender_id, "claimed_by_other" if claim else "claim_first")

    @app.post("/conversations/<sender_id:str>/reply")
    async def reply(request: Request, sender_id: str) -> HTTPResponse:
        staff = request.ctx.staff
        refused = must_hold(sender_id, staff, "reply")
        if refused:
            return refused
        text = _form(request, "text").strip()
        if not text:
            return back(sender_id, "reply_empty")
        if len(text.encode()) > MAX_REPLY_BYTES:
            return back(sender_id, "reply_too_long")
        result = await app.ctx.rasa.reply(sender_id, text, staff.display_name)
        delivered = bool(result.get("delivered"))
        app.ctx.store.audit(staff.username, "reply" if delivered else "reply_failed", sender_id,
                            chars=len(text), channel=result.get("channel"), reason=result.get("reason"))
        if delivered:
            return back(sender_id, "delivered", reason=str(result.get("channel") or ""))
        return back(sender_id, "not_delivered", reason=str(result.get("reason") or ""))

    @app.post("/conversations/<sender_id:str>/note")
    async def note(request: Request, sender_id: str) -> HTTPResponse:
        staff = request.ctx.staff
        text = _form(request, "text").strip()[:MAX_NOTE_CHARS]
        if not text:
            return back(sender_id, "note_empty")
        app.ctx.store.add_note(sender_id, staff, text, time.time())
        app.ctx.store.audit(staff.username, "note", sender_id, chars=len(text))
        return back(sender_id, "note_saved")

    @app.post("/conversations/<sender_id:str>/release")
    async def release(request: Request, sender_id: str) -> HTTPResponse:
        staff = request.ctx.staff
        claim, mine = claim_state(sender_id, staff)
        # an admin may release a conversation someone else holds (a colleague went home)
        if not (mine or (staff.is_admin and claim is not None)):
            return must_hold(sender_id, staff, "release")
        try:
            await app.ctx.rasa.release(sender_id, staff.display_name)
        except RasaRefused as e:
            if e.status != 409:
                raise
            app.ctx.store.unclaim(sender_id)
            app.ctx.store.audit(staff.username, "release_refused", sender_id, reason="not handed off")
            return back(sender_id, "not_handed_off")
        app.ctx.store.unclaim(sender_id)
        app.ctx.store.audit(staff.username, "release", sender_id)
        return back(sender_id, "released")

    @app.get("/conversations/<sender_id:str>/workorder")
    async def workorder(request: Request, sender_id: str) -> HTTPResponse:
        staff = request.ctx.staff
        tracker = await app.ctx.rasa.tracker(sender_id)
        view = conv.conversation_view(sender_id, tracker, time.time())
        text = conv.workorder_text(view, staff, time.time())
        app.ctx.store.audit(staff.username, "workorder", sender_id)
        return page(request, "workorder.html", view=view, text=text)

    # ---------------------------------------------------------------------------------- admin
    @app.get("/admin/audit")
    async def audit(request: Request) -> HTTPResponse:
        if not request.ctx.staff.is_admin:
            return refuse(request, 403, message("admin_only"))
        sender = request.args.get("sender") or None
        return page(request, "audit.html", entries=app.ctx.store.audit_log(sender_id=sender), sender=sender)

    return app


def _form(request: Request, name: str) -> str:
    values = pages.form_of(request).get(name) or [""]
    return values[0]
