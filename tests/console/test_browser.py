"""The console in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; never a downloaded
browser), against the real Rasa server, action server and console processes.

Each page is saved as a screenshot under var/screenshots/ (git-ignored) to be looked at. Without Chromium
the tests skip locally; in CI (YSLY_CI=1, set by .ci/run, which installs it) they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from pathlib import Path

import pytest

from tests.console.servers import PASSWORD, running_console
from tests.e2e.servers import ROOT, running_servers

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "var" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-quic", "--disable-sync"]
CALL = ["你好，我是安徽过来的，在宁波上班，孩子四岁了，已经办了居住证，想问问孩子能不能在宁波交医保",
        "孩子户口在安徽老家，不是宁波的",
        "我自己交了八个月，我老公在宁波交职工医保交了两年了"]
STAFF_REPLY = "您好，我是12333的王芳。孩子四岁、有居住证，父母一方职工医保满12个月就能在宁波参加城乡居民医保。"

pytestmark = pytest.mark.rasa

if not (Path(CHROMIUM).exists() and shutil.which("chromium")):
    if os.environ.get("YSLY_CI") == "1":
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei")
    pytestmark = [pytest.mark.rasa, pytest.mark.skip(reason=f"{CHROMIUM} is not installed")]


@pytest.fixture(scope="module")
def stack(trained_model):
    with running_servers(trained_model) as servers, running_console(servers.url, servers.secret) as console:
        console.add_user("wang", "王芳")
        console.add_user("chen", "陈主任", role="admin")
        yield servers, console


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-{name}.png"), full_page=True)


def logged_in(browser, console, username: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{console.url}/queue")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/queue$"))
    return context, page


def poll(servers, sender: str) -> list[str]:
    request = urllib.request.Request(f"{servers.url}/webhooks/rest/poll",
                                     data=json.dumps({"sender": sender}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return [m["text"] for m in json.loads(response.read())]


def test_login_page_and_a_wrong_password(stack, browser):
    _, console = stack
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{console.url}/assist")
    assert page.url.startswith(f"{console.url}/login")
    shot(page, "login")
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert "用户名或密码不对" in page.inner_text(".flash.error")
    cookies = {c["name"]: c for c in context.cookies()}
    assert "console_session" not in cookies
    context.close()


def test_assist_a_call_from_three_turns_to_a_verdict_with_the_quote(stack, browser):
    _, console = stack
    context, page = logged_in(browser, console, "wang")
    session = next(c for c in context.cookies() if c["name"] == "console_session")
    assert session["httpOnly"] and session["secure"] and session["sameSite"] == "Strict"
    page.goto(f"{console.url}/assist")
    for turn in CALL:
        page.fill("#new-turn", turn)
        page.click("#add-turn")
        page.wait_for_load_state()
    assert [t.strip() for t in page.locator("#turns li p").all_inner_texts()] == CALL
    results = page.inner_text("#results")
    assert "符合" in results and "外来劳动者子女参加宁波城乡居民医保" in results
    quote = page.inner_text("#clause-assist")
    assert "父母一方参加本市职工基本医保累计缴费满12个月" in quote
    assert "征求意见稿" in page.inner_text("article.clause header")
    facts = page.inner_text("#facts")
    assert "外地户籍" in facts or page.locator("select[name='edit:children.hukou']").count() == 1
    page.click("button[data-copy='#copy-assist']")
    page.wait_for_selector("button[data-copied='1']")
    shot(page, "assist")
    # staff correct a fact: the verdict follows the correction
    page.select_option("select[name='edit:children.residence_permit']", "no")
    page.click("#update-facts")
    page.wait_for_load_state()
    assert "不符合" in page.inner_text("#results")
    context.close()


def test_check_a_profile_and_a_bad_value(stack, browser):
    _, console = stack
    context, page = logged_in(browser, console, "wang")
    page.goto(f"{console.url}/check")
    page.select_option("select[name=hukou]", "other")
    page.select_option("select[name=works_in_ningbo]", "yes")
    page.fill("input[name=employee_medical_months]", "十二")
    page.fill("input[name='children[0].age']", "4")
    page.click("#run-check")
    page.wait_for_load_state()
    errors = page.inner_text("#form-errors")
    assert "职工医保" in errors  # the field is named
    page.fill("input[name=employee_medical_months]", "14")
    page.select_option("select[name='children[0].hukou']", "other")
    page.select_option("select[name='children[0].residence_permit']", "yes")
    page.click("#run-check")
    page.wait_for_load_state()
    results = page.inner_text("#check-results")
    assert "外来劳动者子女参加宁波城乡居民医保" in results and "符合" in results
    assert "父母一方参加本市职工基本医保累计缴费满12个月" in results  # the full trace quotes the clause
    shot(page, "check")
    context.close()


def test_search_and_the_documents(stack, browser):
    _, console = stack
    context, page = logged_in(browser, console, "wang")
    page.goto(f"{console.url}/search")
    page.fill("#q", "孩子医保")
    page.press("#q", "Enter")
    page.wait_for_selector("#hits")
    hits = page.inner_text("#hits")
    assert "非本市户籍0-6周岁子女" in hits
    shot(page, "search")
    page.goto(f"{console.url}/documents")
    outline = page.inner_text("main")
    assert "三、放宽外来劳动者子女医保参保限制" in outline
    shot(page, "documents")
    page.click("text=三、放宽外来劳动者子女医保参保限制")
    page.wait_for_selector("article.clause")
    assert "非本市户籍0-6周岁子女" in page.inner_text("article.clause")
    context.close()


def test_a_rest_conversation_handed_over_claimed_answered_and_released(stack, browser):
    servers, console = stack
    sender = "browser-worker-1"
    first = " ".join(m.get("text", "") for m in servers.say(sender, "转人工"))
    assert first
    waiting = " ".join(m.get("text", "") for m in servers.say(sender, "我孩子四岁，能在宁波交医保吗"))
    context, page = logged_in(browser, console, "wang")
    page.goto(f"{console.url}/queue")
    page.wait_for_selector("#queue-badge:not([hidden])")
    shot(page, "queue")
    page.wait_for_selector("table.queue tr:has-text('网页/App')", timeout=15000)
    page.goto(f"{console.url}/conversations/{sender}")
    transcript = page.inner_text(".transcript")
    assert "转人工" in transcript and "我孩子四岁" in transcript
    page.click("form[action$='/claim'] button")
    page.wait_for_load_state()
    assert "接手人：王芳" in page.inner_text(".bar")
    # a colleague sees who has it and cannot reply
    other_context, other = logged_in(browser, console, "chen")
    other.goto(f"{console.url}/conversations/{sender}")
    assert "接手人：王芳" in other.inner_text(".bar")
    assert other.locator("textarea[name=text]").count() == 1  # only the note box, no reply box
    other_context.close()
    page.fill("form[action$='/reply'] textarea", STAFF_REPLY)
    page.click("form[action$='/reply'] button")
    page.wait_for_load_state()
    assert "已送达" in page.inner_text(".flash")
    assert STAFF_REPLY in poll(servers, sender)  # the reply reached the worker's side
    page.fill("form[action$='/note'] textarea", "来电人着急，孩子下月要看病")
    page.click("form[action$='/note'] button")
    page.wait_for_load_state()
    assert "来电人着急" in page.inner_text("ul.notes")
    assert all("来电人着急" not in text for text in poll(servers, sender))  # notes never reach the worker
    shot(page, "conversation")
    page.goto(f"{console.url}/conversations/{sender}/workorder")
    draft = page.input_value("#workorder")
    assert "转人工" in draft or "孩子" in draft
    shot(page, "workorder")
    page.goto(f"{console.url}/conversations/{sender}")
    page.click("form[action$='/release'] button")
    page.wait_for_load_state()
    assert "已交还机器人" in page.inner_text(".flash")
    released = poll(servers, sender)
    assert released and "人工服务已结束" in released[-1]
    answer = " ".join(m.get("text", "") for m in servers.say(sender, "孩子4岁，外地户口，能在宁波交医保吗"))
    assert answer and answer != waiting and "人工" not in answer[:10]  # the bot answers again
    tracker = servers.tracker(sender)
    assert not tracker.get("paused")
    context.close()
    # the admin's audit log holds every action on it
    admin_context, admin = logged_in(browser, console, "chen")
    admin.goto(f"{console.url}/admin/audit?sender={sender}")
    log = admin.inner_text("table.audit")
    for action in ("open", "claim", "reply", "note", "release"):
        assert re.search(rf"\b{action}\b", log), action
    shot(admin, "audit")
    admin_context.close()


def test_narrow_screen(stack, browser):
    _, console = stack
    context, page = logged_in(browser, console, "wang", width=390)
    page.goto(f"{console.url}/assist")
    page.fill("#new-turn", CALL[0])
    page.click("#add-turn")
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width}px wide on a 390px screen"
    shot(page, "assist-narrow")
    page.goto(f"{console.url}/queue")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    shot(page, "queue-narrow")
    context.close()
