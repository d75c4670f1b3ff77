"""Route tests of the console (Sanic's test client, a fake Rasa): login, CSRF, claims, replies, the audit log."""

from __future__ import annotations

import re
import time
from html import unescape as html_unescape
from urllib.parse import quote_plus

import pytest

from console.app import LOGIN_CSRF_COOKIE, SESSION_COOKIE, create_app, message
from console.rasa_client import RasaUnavailable
from console.settings import Settings

PASSWORD = "correct horse battery"
WORKER = "rest-worker-1"


class FakeRasa:
    """What the console asks Rasa, answered from memory; `down` makes every call fail like a dead server."""

    def __init__(self) -> None:
        self.down = False
        self.paused = {WORKER: True, "wechat-old": True}
        self.replies: list[tuple[str, str, str]] = []
        self.released: list[str] = []
        now = time.time()
        self.rows = [
            {"sender_id": WORKER, "channel": "rest", "handed_off_at": now - 120, "last_user_at": now - 100,
             "last_user_text": "我手机13912345678，身份证330203199001011234，孩子医保怎么办",
             "reason": "ask_human", "topic": "child_medical_insurance", "user_messages_since_handoff": 1,
             "staff_replies": 0},
            {"sender_id": "wechat-old", "channel": "wechat", "handed_off_at": now - 3 * 86400,
             "last_user_at": now - 3 * 86400, "last_user_text": "你好", "reason": "ask_human", "topic": None,
             "user_messages_since_handoff": 0, "staff_replies": 0},
        ]

    def _check(self) -> None:
        if self.down:
            raise RasaUnavailable("ClientConnectorError")

    async def queue(self):
        self._check()
        return [r for r in self.rows if self.paused.get(r["sender_id"])]

    async def tracker(self, sender_id):
        self._check()
        now = time.time()
        return {"sender_id": sender_id, "paused": self.paused.get(sender_id, False),
                "slots": {"handoff_summary": {"reason": "ask_human", "facts": {"hukou": "other",
                                                                                 "works_in_ningbo": True},
                                              "outcomes": [], "clauses": []}},
                "events": [{"event": "user", "text": "转人工", "timestamp": now - 130, "input_channel": "rest"},
                           {"event": "bot", "text": "好的，正在为您转接", "timestamp": now - 125},
                           {"event": "pause", "timestamp": now - 120}]}

    async def reply(self, sender_id, text, staff):
        self._check()
        if not self.paused.get(sender_id):
            return {"delivered": False, "reason": "not_handed_off"}
        self.replies.append((sender_id, text, staff))
        return {"delivered": True, "channel": "rest"}

    async def release(self, sender_id, staff):
        self._check()
        self.paused[sender_id] = False
        self.released.append(sender_id)
        return {"released": True}


@pytest.fixture
def console(tmp_path):
    rasa = FakeRasa()
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'console.db'}", lockout=900), rasa=rasa)
    accounts = app.ctx.accounts
    accounts.create("wang", "王芳", "staff", PASSWORD)
    accounts.create("li", "李强", "staff", PASSWORD)
    accounts.create("boss", "陈主任", "admin", PASSWORD)
    return app, rasa


def _csrf_of(body: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', body)
    assert found, "the page has no CSRF field"
    return found.group(1)


def login(app, username: str, password: str = PASSWORD):
    _, form = app.test_client.get("/login")
    pre = form.cookies[LOGIN_CSRF_COOKIE]
    _, response = app.test_client.post(
        "/login", data={"username": username, "password": password, "csrf_token": _csrf_of(form.text),
                        "next": "/queue"},
        cookies={LOGIN_CSRF_COOKIE: pre}, allow_redirects=False)
    return response


class Browser:
    """One logged-in staff member: their session cookie and CSRF token."""

    def __init__(self, app, username: str) -> None:
        response = login(app, username)
        assert response.status == 302, response.text
        self.app, self.cookies = app, {SESSION_COOKIE: response.cookies[SESSION_COOKIE]}
        _, page = self.get("/queue")
        self.csrf = _csrf_of(page.text)

    def get(self, path: str):
        return self.app.test_client.get(path, cookies=self.cookies, allow_redirects=False)

    def post(self, path: str, data: dict | None = None, csrf: str | None = "own"):
        data = dict(data or {})
        if csrf == "own":
            data["csrf_token"] = self.csrf
        elif csrf is not None:
            data["csrf_token"] = csrf
        return self.app.test_client.post(path, data=data, cookies=self.cookies, allow_redirects=False)


GET_PAGES = ["/", "/assist", "/check", "/search?q=孩子医保", "/queue", f"/conversations/{WORKER}",
             f"/conversations/{WORKER}/workorder", "/admin/audit", "/documents"]
POSTS = [f"/conversations/{WORKER}/claim", f"/conversations/{WORKER}/reply", f"/conversations/{WORKER}/note",
         f"/conversations/{WORKER}/release", "/logout", "/assist", "/check"]


@pytest.mark.parametrize("path", GET_PAGES)
def test_every_page_needs_login(console, path):
    app, _ = console
    _, response = app.test_client.get(path, allow_redirects=False)
    assert response.status == 302
    assert response.headers["location"].startswith("/login?next=")
    assert "13912345678" not in response.text


def test_the_queue_feed_needs_login(console):
    app, _ = console
    _, response = app.test_client.get("/queue.json")
    assert response.status == 401
    assert WORKER not in response.text


@pytest.mark.parametrize("path", POSTS)
def test_every_form_needs_login(console, path):
    app, rasa = console
    _, response = app.test_client.post(path, data={"text": "你好"}, allow_redirects=False)
    assert response.status == 401
    assert rasa.replies == [] and rasa.released == []


def test_a_forged_session_cookie_opens_nothing(console):
    app, _ = console
    _, response = app.test_client.get("/queue", cookies={SESSION_COOKIE: "forged"}, allow_redirects=False)
    assert response.status == 302


def test_login_sets_a_secure_http_only_strict_cookie(console):
    app, _ = console
    response = login(app, "wang")
    assert response.status == 302 and response.headers["location"] == "/queue"
    header = ";".join(v for k, v in response.headers.items() if k.lower() == "set-cookie")
    session_part = next(p for p in header.split(",") if SESSION_COOKIE in p) if "," in header else header
    assert "HttpOnly" in session_part and "Secure" in session_part and "SameSite=Strict" in session_part


def test_wrong_password_is_refused_with_a_clear_message(console):
    app, _ = console
    response = login(app, "wang", "wrong password")
    assert response.status == 401
    assert message("bad_login") in response.text
    assert SESSION_COOKIE not in response.cookies
    unknown = login(app, "nobody", PASSWORD)
    assert unknown.status == 401 and message("bad_login") in unknown.text  # the same words: no user probing


def test_login_without_its_csrf_cookie_is_refused(console):
    app, _ = console
    _, form = app.test_client.get("/login")
    _, response = app.test_client.post("/login", data={"username": "wang", "password": PASSWORD,
                                                       "csrf_token": _csrf_of(form.text)}, allow_redirects=False)
    assert response.status == 403 and message("csrf") in response.text


def test_the_account_locks_after_repeated_failures(console):
    app, _ = console
    for _ in range(app.ctx.settings.max_failures):
        login(app, "wang", "wrong password")
    response = login(app, "wang")  # the right password, too late
    assert response.status == 401
    assert "锁定" in response.text
    actions = [e.action for e in app.ctx.store.audit_log()]
    assert "locked" in actions and "login_refused" in actions
    app.ctx.accounts.unlock("wang")
    assert login(app, "wang").status == 302


def test_a_next_parameter_never_leaves_the_site(console):
    app, _ = console
    _, form = app.test_client.get("/login")
    _, response = app.test_client.post(
        "/login", data={"username": "wang", "password": PASSWORD, "csrf_token": _csrf_of(form.text),
                        "next": "//evil.example/phish"},
        cookies={LOGIN_CSRF_COOKIE: form.cookies[LOGIN_CSRF_COOKIE]}, allow_redirects=False)
    assert response.headers["location"] == "/"


@pytest.mark.parametrize("csrf", [None, "", "forged-token"])
def test_a_form_without_the_right_csrf_token_is_refused(console, csrf):
    app, rasa = console
    wang = Browser(app, "wang")
    _, response = wang.post(f"/conversations/{WORKER}/claim", csrf=csrf)
    assert response.status == 403 and message("csrf") in response.text
    assert app.ctx.store.claim_of(WORKER) is None
    _, response = wang.post(f"/conversations/{WORKER}/reply", {"text": "您好"}, csrf=csrf)
    assert response.status == 403 and rasa.replies == []


def test_another_sessions_csrf_token_does_not_pass(console):
    app, _ = console
    wang, li = Browser(app, "wang"), Browser(app, "li")
    _, response = wang.post(f"/conversations/{WORKER}/claim", csrf=li.csrf)
    assert response.status == 403


def test_a_second_staff_member_cannot_take_a_claimed_conversation(console):
    app, rasa = console
    wang, li = Browser(app, "wang"), Browser(app, "li")
    _, response = wang.post(f"/conversations/{WORKER}/claim")
    assert response.status == 302 and "done=claimed" in response.headers["location"]
    _, response = li.post(f"/conversations/{WORKER}/claim")
    assert "done=claimed_by_other" in response.headers["location"]
    assert app.ctx.store.claim_of(WORKER).staff.username == "wang"
    _, page = li.get(f"/conversations/{WORKER}?done=claimed_by_other")
    assert "王芳" in page.text and 'action="/conversations/rest-worker-1/reply"' not in page.text
    li.post(f"/conversations/{WORKER}/reply", {"text": "我来回复"})
    li.post(f"/conversations/{WORKER}/release")
    assert rasa.replies == [] and rasa.released == []
    actions = [(e.username, e.action) for e in app.ctx.store.audit_log(sender_id=WORKER)]
    assert ("li", "claim_refused") in actions and ("li", "reply_refused") in actions
    assert ("li", "release_refused") in actions


def test_reply_note_and_release_reach_rasa_and_the_audit_log(console):
    app, rasa = console
    wang = Browser(app, "wang")
    _, page = wang.get(f"/conversations/{WORKER}")
    assert page.status == 200 and "转人工" in page.text and "外地户籍" in page.text
    _, response = wang.post(f"/conversations/{WORKER}/reply", {"text": "您好"})
    assert "done=claim_first" in response.headers["location"] and rasa.replies == []
    wang.post(f"/conversations/{WORKER}/claim")
    _, response = wang.post(f"/conversations/{WORKER}/reply", {"text": "您好，我是12333的王芳。"})
    assert "done=delivered" in response.headers["location"]
    assert rasa.replies == [(WORKER, "您好，我是12333的王芳。", "王芳")]
    wang.post(f"/conversations/{WORKER}/note", {"text": "来电人情绪着急，回电 13912345678"})
    _, page = wang.get(f"/conversations/{WORKER}")
    assert "来电人情绪着急" in page.text
    assert all("来电人情绪着急" not in text for _, text, _ in rasa.replies)  # notes never reach the worker
    _, response = wang.post(f"/conversations/{WORKER}/release")
    assert "done=released" in response.headers["location"] and rasa.released == [WORKER]
    assert app.ctx.store.claim_of(WORKER) is None
    log = [(e.username, e.action) for e in app.ctx.store.audit_log(sender_id=WORKER)]
    for action in ("open", "claim", "reply", "note", "release"):
        assert ("wang", action) in log
    boss = Browser(app, "boss")
    _, page = boss.get("/admin/audit")
    assert page.status == 200 and "release" in page.text
    assert "13912345678" not in page.text  # details are masked in the log page


def test_bad_replies_get_a_clear_message(console):
    app, rasa = console
    wang = Browser(app, "wang")
    wang.post(f"/conversations/{WORKER}/claim")
    _, response = wang.post(f"/conversations/{WORKER}/reply", {"text": "   "})
    assert "done=reply_empty" in response.headers["location"]
    _, response = wang.post(f"/conversations/{WORKER}/reply", {"text": "长" * 1000})
    assert "done=reply_too_long" in response.headers["location"]
    _, page = wang.get(response.headers["location"])
    assert "回复太长" in page.text
    assert rasa.replies == []


def test_an_admin_may_release_a_colleagues_conversation(console):
    app, rasa = console
    Browser(app, "wang").post(f"/conversations/{WORKER}/claim")
    _, response = Browser(app, "boss").post(f"/conversations/{WORKER}/release")
    assert "done=released" in response.headers["location"] and rasa.released == [WORKER]


def test_the_audit_page_is_for_admins_only(console):
    app, _ = console
    _, response = Browser(app, "wang").get("/admin/audit")
    assert response.status == 403 and message("admin_only") in response.text


def test_the_queue_masks_phone_and_id_numbers_and_shows_who_claimed(console):
    app, _ = console
    wang = Browser(app, "wang")
    wang.post(f"/conversations/{WORKER}/claim")
    _, page = wang.get("/queue")
    assert page.status == 200
    assert "13912345678" not in page.text and "330203199001011234" not in page.text
    assert "139****5678" in page.text
    assert "王芳" in page.text and "未接手" in page.text
    _, feed = wang.get("/queue.json")
    assert feed.json["count"] == 2 and feed.json["unclaimed"] == 1


def test_a_dead_rasa_gives_a_clear_page_not_a_crash(console):
    app, rasa = console
    wang = Browser(app, "wang")
    rasa.down = True
    _, page = wang.get("/queue")
    assert page.status == 503 and message("rasa_down") in page.text
    _, page = wang.get(f"/conversations/{WORKER}")
    assert page.status == 503
    app.ctx.queue_cache = (0.0, [])  # the polled queue's shared answer has expired
    _, feed = wang.get("/queue.json")
    assert feed.status == 503 and feed.json["status"] == "failure"


def test_pages_polling_the_queue_share_one_answer_from_rasa(console):
    app, rasa = console
    wang, li = Browser(app, "wang"), Browser(app, "li")
    calls = []
    original = rasa.queue

    async def counted():
        calls.append(1)
        return await original()

    rasa.queue = counted
    app.ctx.queue_cache = (0.0, [])  # logging in opened /queue, which filled it
    for browser in (wang, li, wang):
        _, feed = browser.get("/queue.json")
        assert feed.json["count"] == 2
    assert len(calls) == 1  # within QUEUE_TTL
    _, page = wang.get("/queue")  # the queue page itself always asks Rasa
    assert len(calls) == 2 and page.status == 200


def test_logout_ends_the_session(console):
    app, _ = console
    wang = Browser(app, "wang")
    _, response = wang.post("/logout")
    assert response.status == 302
    _, response = wang.get("/queue")
    assert response.status == 302 and response.headers["location"].startswith("/login")


def test_an_idle_session_expires(console):
    app, _ = console
    wang = Browser(app, "wang")
    later = time.time() + app.ctx.settings.session_idle + 1
    assert app.ctx.accounts.session(wang.cookies[SESSION_COOKIE], now=later) is None
    _, response = wang.get("/queue")
    assert response.status == 302


def test_pages_carry_security_headers(console):
    app, _ = console
    _, response = app.test_client.get("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_passwords_are_stored_as_argon2_hashes(console):
    app, _ = console
    row = app.ctx.store.staff_row("wang")
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash


def test_an_unknown_page_is_a_clear_404(console):
    app, _ = console
    _, response = Browser(app, "wang").get("/nothing-here")
    assert response.status == 404 and message("not_found") in response.text


# ---------------------------------------------------------------------------------------------- pages
CALL = ["你好，我是安徽过来的，在宁波上班，孩子四岁了，已经办了居住证，想问问孩子能不能在宁波交医保",
        "孩子户口在安徽老家，不是宁波的",
        "我自己交了八个月，我老公在宁波交职工医保交了两年了"]


def _hidden(body: str, name: str) -> list[str]:
    return re.findall(rf'name="{re.escape(name)}" value="([^"]*)"', body)


def _assist(wang, turns_so_far: str | None, new_turn: str, action: str = "add", extra: dict | None = None):
    """One submit of the assist form, carrying what the previous page held (as the browser does)."""
    data = {"new_turn": new_turn, "action": action, "csrf_token": wang.csrf, **(extra or {})}
    body = "&".join(f"{k}={quote_plus(v)}" for k, v in data.items())
    if turns_so_far:
        carried = [(n, v) for n in ("turn", "asked", "on_screen") for v in _hidden(turns_so_far, n)]
        carried += [(m[0], m[1]) for m in re.findall(r'name="(kept:[^"]+)" value="([^"]*)"', turns_so_far)]
        body += "".join(f"&{quote_plus(n)}={quote_plus(html_unescape(v))}" for n, v in carried)
    _, response = wang.app.test_client.post(
        "/assist", content=body, cookies=wang.cookies,
        headers={"content-type": "application/x-www-form-urlencoded"})
    return response


def test_assist_reads_three_turns_to_a_verdict_and_keeps_the_question_each_answered(console):
    app, _ = console
    wang = Browser(app, "wang")
    page = None
    for turn in CALL:
        response = _assist(wang, page.text if page else None, turn)
        assert response.status == 200
        page = response
    assert [html_unescape(t) for t in _hidden(page.text, "turn")] == CALL
    asked = _hidden(page.text, "asked")
    assert asked[0] == "-" and len(asked) == 3  # the first turn answered no question
    assert "children.hukou" in asked[1:]          # the second answered the question on screen then
    assert "外来劳动者子女参加宁波城乡居民医保" in page.text and 'class="outcome eligible"' in page.text
    assert "父母一方参加本市职工基本医保累计缴费满12个月" in page.text
    # staff set the child's residence permit to "no": the verdict follows, and the edit is kept
    edited = _assist(wang, page.text, "", action="edit",
                     extra={"edit:children.residence_permit": "no", "shown:children.residence_permit": "yes"})
    assert 'class="outcome not_eligible"' in edited.text
    assert _hidden(edited.text, "kept:children.residence_permit") == ["no"]


def test_assist_refuses_an_empty_or_huge_turn_clearly(console):
    app, _ = console
    wang = Browser(app, "wang")
    response = _assist(wang, None, "   ")
    assert response.status == 400 and message("turn_empty") in response.text
    response = _assist(wang, None, "我" * (app.ctx.settings.max_turn_chars + 1))
    assert response.status == 400 and "太长" in response.text


def test_check_names_each_bad_field_and_keeps_the_rest(console):
    app, _ = console
    wang = Browser(app, "wang")
    _, response = wang.post("/check", {"hukou": "other", "employee_medical_months": "十二个月",
                                       "children[0].age": "40", "works_in_ningbo": "yes"})
    assert response.status == 400
    errors = re.findall(r'class="field-error">([^<]+)', response.text)
    assert any("职工医保" in e for e in errors) and any("孩子周岁" in e for e in errors)
    assert 'value="other" selected' in response.text  # what was typed stays
    _, response = wang.post("/check", {"hukou": "other", "works_in_ningbo": "yes", "employee_medical_months": "14",
                                       "children[0].age": "4", "children[0].hukou": "other",
                                       "children[0].residence_permit": "yes"})
    assert response.status == 200
    assert "外来劳动者子女参加宁波城乡居民医保" in response.text and 'class="outcome eligible"' in response.text
    _, response = wang.post("/check", {"no_such_fact": "1"})
    assert response.status == 400 and "no_such_fact" in response.text


def test_search_and_documents_quote_the_text(console):
    app, _ = console
    from knowledge import get_clause

    wang = Browser(app, "wang")
    _, response = wang.get("/search?q=" + quote_plus("孩子医保"))
    assert response.status == 200
    assert html_unescape(get_clause("ningbo_leye/measure03/1").text) in html_unescape(response.text)
    _, response = wang.get("/documents")
    assert "三、放宽外来劳动者子女医保参保限制" in response.text
    _, response = wang.get("/documents/ningbo_leye/measure03")
    assert response.status == 200 and "征求意见稿" in response.text
    _, response = wang.get("/documents/ningbo_leye/measure99")
    assert response.status == 404


def test_garbled_and_huge_bodies_get_a_clear_answer_not_a_crash(console):
    app, _ = console
    wang = Browser(app, "wang")
    _, response = app.test_client.post("/assist", content=b"\xff\xfe\x00garbled", cookies=wang.cookies,
                                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status == 403 and message("csrf") in response.text
    body = f"csrf_token={wang.csrf}&new_turn=" + "a" * (300 * 1024)
    _, response = app.test_client.post("/assist", content=body.encode(), cookies=wang.cookies,
                                       headers={"content-type": "application/x-www-form-urlencoded"})
    # refused before any of it is read: 413 where Sanic checks the size first, else the CSRF check fails
    assert response.status in (403, 413)
    assert message("too_large" if response.status == 413 else "csrf") in response.text
    fields = "&".join(f"f{i}=1" for i in range(600))
    _, response = app.test_client.post("/check", content=f"csrf_token={wang.csrf}&{fields}".encode(),
                                       cookies=wang.cookies,
                                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status == 403  # more fields than any form has: not read at all
