"""bench.load's own parts, without Rasa: scripts played against a tiny fake REST webhook on loopback (the
bot's questions answered by keyword), routing to replicas, the time and turn bounds, errors, and the
percentile, /proc and report arithmetic."""

import asyncio
import math
import re
import socket
import time
from pathlib import Path

import pytest
from aiohttp import web

from bench import load
from bench.load import Answers, Budget, Conversation, Played, Script, Turn

ROOT = Path(__file__).resolve().parent.parent

# The fake bot: each message gets one reply; the questionnaire asks 户口 then 居住证, then says the verdict.
FAKE_BOT = {"开始": "好的。\n孩子是宁波户口吗？", "不是": "孩子有居住证吗？", "有": "【结论】符合 ——测试",
            "谢谢": "不客气", "天气": "没太明白"}
SCRIPT = Script("fake", ("开始", Answers({"户口": "不是", "居住证": "有"}), "谢谢"))


class FakeBot:
    """One fake replica: records (sender, message, whether another turn of that sender was running)."""

    def __init__(self, delay: float = 0.0, fail_on: str | None = None) -> None:
        self.delay, self.fail_on, self.seen, self.running = delay, fail_on, [], set()
        self.message_ids = []

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        sender, text = body["sender"], body["message"]
        self.message_ids.append((sender, body.get("message_id")))
        self.seen.append((sender, text, sender in self.running))
        self.running.add(sender)
        try:
            await asyncio.sleep(self.delay)
            if text == self.fail_on:
                return web.json_response({"status": "failure"}, status=500)
            return web.json_response([{"recipient_id": sender, "text": FAKE_BOT.get(text, "？")}])
        finally:
            self.running.discard(sender)


async def serve(bots: list[FakeBot]):
    runners, urls = [], []
    for bot in bots:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", bot.webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(runner, sock).start()
        runners.append(runner)
        urls.append(f"http://127.0.0.1:{sock.getsockname()[1]}")
    return runners, urls


def run_against(bots, concurrency, seconds=0.5, max_turns=1000, timeout=5.0, scripts=(SCRIPT,), no_reply=None,
                retries=0):
    async def go():
        runners, urls = await serve(bots)
        try:
            return await load.play(urls, concurrency, seconds, max_turns, timeout, scripts, no_reply,
                                   retries=retries)
        finally:
            for runner in runners:
                await runner.cleanup()

    return asyncio.run(go())


# ------------------------------------------------------------------------------------------------ scripts


def test_a_conversation_answers_the_questions_by_keyword_until_the_verdict():
    conversation, said, reply = Conversation(SCRIPT), [], None
    while (text := conversation.next_message(reply)) is not None:
        said.append(text)
        reply = FAKE_BOT[text]
    assert said == ["开始", "不是", "有", "谢谢"]
    assert conversation.finished and conversation.verdicts == 1


def test_a_question_the_script_cannot_answer_ends_the_conversation():
    conversation = Conversation(SCRIPT)
    conversation.next_message(None)
    assert conversation.next_message("请问您几岁？") is None
    assert conversation.off_script == "请问您几岁？" and not conversation.finished


def test_a_questionnaire_without_a_verdict_gives_up_after_its_answers():
    conversation = Conversation(SCRIPT, max_answers=2)
    conversation.next_message(None)
    assert [conversation.next_message("户口吗？") for _ in range(3)] == ["不是", "不是", None]
    assert conversation.off_script.startswith("no verdict after 2 answers")


def test_buttons_are_part_of_the_reply_as_the_e2e_tests_read_it():
    text = load.reply_text([{"text": "哪种保险？", "buttons": [{"title": "职工医保"}, {"title": "居民医保"}]}])
    assert text == "哪种保险？ [职工医保] [居民医保]"
    assert load.last_line("a\nb\n\n") == "b" and load.last_line("") == ""


def test_the_scripts_are_the_e2e_conversations():
    e2e = (ROOT / "tests" / "e2e" / "test_conversations.py").read_text(encoding="utf-8")
    for script in load.SCRIPTS:
        assert script.name in e2e, script.name   # the test it comes from
        for step in script.steps:
            for text in [step] if isinstance(step, str) else list(step.by_keyword.values()):
                assert f'"{text}"' in e2e, (script.name, text)
    names = {s.name for s in load.SCRIPTS}
    assert {"child_medical_insurance_eligible", "wage_arrears_general_question", "labour_contract_question"} <= names


# ------------------------------------------------------------------------------------------------ bounds


def test_only_loopback_urls_are_accepted():
    assert load.loopback_url("http://127.0.0.1:5005/") == "http://127.0.0.1:5005"
    for url in ("http://localhost:5005", "http://10.0.0.1:5005", "https://127.0.0.1:5005", "http://127.0.0.1",
                "http://127.0.0.1:5005/webhooks", "http://u@127.0.0.1:5005", "http://127.0.0.1.evil.com:80",
                "http://127.0.0.1:99999"):
        with pytest.raises(ValueError):
            load.loopback_url(url)
    with pytest.raises(ValueError):
        asyncio.run(load.play(["http://example.com:80"], 1, 1, 1, 1))


def test_concurrency_levels_are_bounded():
    assert load.concurrency_levels("1, 10,50") == [1, 10, 50]
    for text in ("", "0", f"{load.MAX_CONCURRENCY + 1}"):
        with pytest.raises(ValueError):
            load.concurrency_levels(text)


def test_the_budget_stops_at_the_cap_or_the_deadline():
    now = [0.0]
    budget = Budget(10, 3, clock=lambda: now[0])
    assert [budget.take() for _ in range(4)] == [True, True, True, False] and budget.capped
    budget = Budget(10, 100, clock=lambda: now[0])
    assert budget.take()
    now[0] = 10.0
    assert not budget.take() and not budget.capped


def test_workers_stop_at_the_turn_cap():
    bot = FakeBot()
    played, _, capped = run_against([bot], concurrency=3, seconds=30, max_turns=7)
    assert capped and len(played.turns) == 7 == len(bot.seen)


def test_no_turn_starts_after_the_deadline():
    bot = FakeBot(delay=0.05)
    start = time.perf_counter()
    played, elapsed, capped = run_against([bot], concurrency=4, seconds=0.4)
    assert not capped and time.perf_counter() - start < 2
    assert 0.4 <= elapsed < 0.4 + 0.3                     # the last turns started before the deadline
    assert 4 * 3 <= len(played.turns) <= 4 * 9            # at most 8 turns of 50 ms each per worker
    assert played.completed >= 4 and played.verdicts >= 4 and not played.off_script


def test_each_worker_keeps_its_sender_on_one_replica_one_turn_at_a_time():
    bots = [FakeBot(delay=0.01), FakeBot(delay=0.01)]
    played, _, _ = run_against(bots, concurrency=5, seconds=0.3)
    for r, bot in enumerate(bots):
        workers = {int(re.search(r"-w(\d+)-", sender)[1]) for sender, _, _ in bot.seen}
        assert workers == {k for k in range(5) if k % 2 == r}
        assert not any(overlap for _, _, overlap in bot.seen)
    assert {t.replica for t in played.turns if t.worker == 3} == {1}
    # a new sender for every conversation: each sender's messages are one run of the script
    by_sender = {}
    for sender, text, _ in bots[0].seen + bots[1].seen:
        by_sender.setdefault(sender, []).append(text)
    assert all(texts == ["开始", "不是", "有", "谢谢"][:len(texts)] for texts in by_sender.values())


def test_errors_are_counted_and_the_worker_starts_a_new_conversation():
    bot = FakeBot(fail_on="有")
    played, _, _ = run_against([bot], concurrency=1, seconds=0.5)
    errors = [t for t in played.turns if t.error]
    assert errors and {t.error for t in errors} == {"HTTP 500"}
    assert played.completed == 0 and len(played.turns) <= 3 * (len(errors) + 1)


def test_a_timeout_and_the_no_reply_text_are_errors():
    played, _, _ = run_against([FakeBot(delay=0.5)], concurrency=1, seconds=0.1, timeout=0.1)
    assert {t.error for t in played.turns} == {"timeout"}
    played, _, _ = run_against([FakeBot()], concurrency=1, seconds=0.2, no_reply="不客气")
    assert {t.error for t in played.turns} >= {None, "no reply (utter_no_reply: a custom action failed)"}


# ------------------------------------------------------------------------------------------------ arithmetic


def test_percentiles_interpolate_between_ranks():
    values = list(range(1, 101))
    assert load.percentile(values, 0.5) == 50.5
    assert load.percentile(values, 0.95) == pytest.approx(95.05)
    assert load.percentile(values, 0.99) == pytest.approx(99.01)
    assert load.percentile([7], 0.99) == 7 and math.isnan(load.percentile([], 0.5))
    assert load.percentile([3, 1, 2], 1.0) == 3


def test_the_summary_counts_turns_errors_and_the_share_of_each_replica():
    played = Played([Turn(0, 0, "s", 100), Turn(1, 1, "s", 300), Turn(2, 0, "s", 200),
                     Turn(3, 1, "s", 50, "timeout"), Turn(0, 0, "s", 400)], completed=2, verdicts=1)
    s = load.summarise("x", 4, 2, played, elapsed_s=2.0)
    assert (s.turns, s.errors, s.error_kinds, s.turns_per_s) == (4, 1, {"timeout": 1}, 2.0)
    assert (s.p50_ms, s.max_ms) == (250, 400)
    assert [(p.turns, p.errors, p.share, p.p50_ms) for p in s.per_replica] == [(3, 0, 0.75, 200), (1, 1, 0.25, 300)]


def test_proc_fields_are_read_even_when_the_command_name_has_spaces():
    stat = "1234 (rasa (x) y) S 1 2 3 4 5 6 7 8 9 10 250 30 7 8 20 0 1 0 100 200 300"
    assert load.cpu_ticks(stat) == 280
    assert load.status_kb("Name:\tpython\nVmHWM:\t  2048 kB\nVmRSS:\t 1024 kB\n", "VmHWM") == 2048
    assert load.status_kb("Name: x\n", "VmRSS") == 0
    assert load.machine_ticks("cpu  100 5 50 800 20 1 2 0 0 0\ncpu0 1 2 3 4") == (158, 978)
    assert load.cpu_ms_per_turn({"rasa": 2.0, "actions": 0.5}, 50) == 50.0


def _result(name, setup, replicas, concurrency, turns_per_s, p95=300.0, errors=0):
    played = Played([Turn(k, k % replicas, "s", p95) for k in range(int(turns_per_s * 10))]
                    + [Turn(0, 0, "s", 1, "timeout")] * errors)
    summary = load.summarise(name, concurrency, replicas, played, elapsed_s=10.0)
    resources = load.Resources({"rasa": 5.0, "actions": 1.0}, {"rasa": 1400 * 1024, "actions": 300 * 1024},
                               {"rasa": 1500 * 1024, "actions": 310 * 1024}, 0.5, 0.0, 15.0, 20.0)
    return load.Result(summary, setup, resources)


def test_the_report_says_which_targets_were_met_and_which_were_missed():
    results = [_result("embedded, 1 replica", "embedded", 1, 10, 12.0, p95=380),
               _result("scale, 1 replica", "scale", 1, 10, 10.0),
               _result("scale, 2 replicas", "scale", 2, 10, 15.0)]
    found = {t.what: t for t in load.targets(results, 2)}
    assert found["≥ 25 turns/s at 10 concurrent, one replica"].met is False
    assert found["≥ 25 turns/s at 10 concurrent, one replica"].figure == "12.0 turns/s"
    assert found["p95 ≤ 400 ms at 10 concurrent, one replica"].met is True
    assert found["zero errors (every scenario)"].met is True
    ratio = found["2 replicas faster than one"]
    assert ratio.met is True and ratio.figure.startswith("×1.50 (15.0 vs 10.0")   # the same profile's baseline
    report = load.render(results, ["2 CPUs"], ["## Notes"], 2)
    assert "**MISSED**" in report and "| 12.0 |" in report
    assert "replica 0: 75 (50%)" in report and "rasa 1400 / 1500 MB" in report
    assert "×1.50" in report and "×1.25" in report                   # against the embedded profile too


def test_errors_or_a_missing_scenario_are_never_reported_as_met():
    results = [_result("embedded, 1 replica", "embedded", 1, 1, 8.0, errors=2)]
    found = {t.what: t for t in load.targets(results, 2)}
    assert found["zero errors (every scenario)"].met is False
    assert found["≥ 25 turns/s at 10 concurrent, one replica"].met is None
    assert found["2 replicas faster than one"].met is None
    assert "not measured" in load.render(results, [], [], 2)


# ------------------------------------------------------------------------------------------------ retries


def test_every_turn_has_its_own_message_id():
    bot = FakeBot()
    played, _, _ = run_against([bot], 1, max_turns=4)
    assert [m for _, m in bot.message_ids] == ["t0", "t1", "t2", "t3"]
    (sender,) = played.answered
    assert played.answered[sender] == ["开始", "不是", "有", "谢谢"]


def test_a_failed_turn_is_sent_again_with_its_id_to_the_next_replica_and_counted_once():
    flaky, good = FakeBot(fail_on="不是"), FakeBot()
    played, _, _ = run_against([flaky, good], 1, max_turns=4, retries=1)
    summary = load.summarise("retry", 1, 2, played, 1.0)
    assert summary.turns == 4 and summary.errors == 0 and summary.retried == 1
    (sender,) = played.answered
    assert (sender, "t1") in flaky.message_ids and (sender, "t1") in good.message_ids
    assert [text for _, text, _ in good.seen] == ["不是", "有", "谢谢"]   # the worker stays on the replica that answered
    assert played.answered[sender] == ["开始", "不是", "有", "谢谢"]
    assert [t.attempts for t in played.turns] == [1, 2, 1, 1] and played.turns[1].replica == 1


def test_without_retries_a_failed_turn_is_an_error_and_ends_the_conversation():
    played, _, _ = run_against([FakeBot(fail_on="不是"), FakeBot()], 1, max_turns=2)
    summary = load.summarise("no retry", 1, 2, played, 1.0)
    assert summary.errors == 1 and summary.retried == 0
    assert [t.error for t in played.turns] == [None, "HTTP 500"]


def test_a_turn_that_fails_on_every_replica_is_one_error_after_its_retries():
    played, _, _ = run_against([FakeBot(fail_on="不是"), FakeBot(fail_on="不是")], 1, max_turns=2, retries=3)
    assert [(t.error, t.attempts) for t in played.turns] == [(None, 1), ("HTTP 500", 4)]
