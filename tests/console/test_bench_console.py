"""The console benchmark (bench/console.py) at a tiny size: its conversations are what it says they are,
the whole run works on loopback and fails when the page misses a conversation, and the report's arithmetic
and shape hold. Timings are not checked."""

from __future__ import annotations

import asyncio
import re

import pytest

from bench import console as bench
from bot.channels.staff import queue_entry

NOW = 1_790_000_000.0


def test_the_conversations_are_with_staff_exactly_when_the_bench_says_so():
    conversations, with_staff = bench.build_conversations(6, 40, NOW)
    assert len(conversations) == 46 and len(with_staff) == 6 and set(with_staff) <= set(conversations)
    for sender_id, events in conversations.items():
        assert all(a.timestamp <= b.timestamp <= NOW for a, b in zip(events, events[1:], strict=False))
        entry = queue_entry(sender_id, [e.as_dict() for e in events])
        assert (entry is not None) == (sender_id in with_staff), sender_id
        if entry is not None:
            assert entry["reason"] == "ask_human" and entry["topic"] in bench.QUESTIONS
            assert entry["channel"] in ("rest", "wechat", "wecom")
    assert 20 < sum(map(len, conversations.values())) / len(conversations) < 120  # events per conversation
    assert bench.build_conversations(6, 40, NOW)[1] == with_staff  # deterministic


def test_summary_is_median_nearest_rank_p95_and_max_in_milliseconds():
    assert bench.summary([i / 1000 for i in range(20, 0, -1)]) == pytest.approx(
        {"n": 20, "median": 10.5, "p95": 19.0, "max": 20.0})
    assert bench.summary([0.004]) == pytest.approx({"n": 1, "median": 4.0, "p95": 4.0, "max": 4.0})
    assert bench.summary([0.001, 0.002, 0.009]) == pytest.approx({"n": 3, "median": 2.0, "p95": 9.0, "max": 9.0})


def run(tmp_path, handed_off=4, others=12, requests=3) -> dict:
    return asyncio.run(asyncio.wait_for(bench.run_bench(handed_off, others, requests, tmp_path), 60))


def test_a_tiny_run_serves_logs_in_and_counts_every_handed_off_conversation(tmp_path):
    results = run(tmp_path)
    assert results["rows_shown"] == results["rows_channel"] == results["rows_feed"] == results["rows_memory"] == 4
    assert results["conversations"] == 16 and results["events"] > 16 * 10 and results["claimed"] == 1
    assert results["page_bytes"] > results["channel_bytes"] > 0
    assert set(results["times"]) == set(bench.MEASURES)
    for key, times in results["times"].items():
        assert times["n"] == (1 if key in bench.EVERY_THIRD else 3)
        assert 0 < times["median"] <= times["p95"] <= times["max"]

    report = bench.render_report(results, "python -m bench.console --handed-off 4")
    table = [line for line in report.splitlines() if line.startswith("| ")]
    assert table[0] == "| what is timed | n | median ms | p95 ms | max ms |" and len(table) == 2 + len(bench.MEASURES)
    assert "**4 rows shown**" in report and "`python -m bench.console --handed-off 4`" in report
    assert f"{results['events']:,} events" in report and "Python 3." in report and "CPUs" in report


def test_the_run_fails_when_the_page_misses_a_conversation(tmp_path, monkeypatch):
    from console import conversation

    rows_of = conversation.queue_rows
    monkeypatch.setattr(conversation, "queue_rows", lambda rows, claims: rows_of(rows, claims)[:-1])
    with pytest.raises(AssertionError):
        run(tmp_path, handed_off=3, others=3, requests=1)


def test_the_report_splits_the_page_median_into_its_parts():
    def times(median):
        return {"n": 60, "median": median, "p95": median + 1, "max": median + 2}

    results = {"handed_off": 200, "others": 1800, "requests": 60, "conversations": 2000, "events": 104_977,
               "db_bytes": 56_600_000, "build_seconds": 3.0, "rows_shown": 200, "rows_channel": 200,
               "rows_feed": 200, "claimed": 50, "page_bytes": 98_818, "channel_bytes": 62_614,
               "times": {"page": times(150.0), "feed": times(140.0), "channel": times(120.0), "sql": times(110.0),
                         "console": times(24.5), "render": times(13.8)}}
    report = bench.render_report(results, "python -m bench.console")
    assert "| GET /queue: the whole page (console → staff channel's SQL query → Jinja) | 60 | 150.0 | 151.0 | 152.0 |" \
        in report
    assert "**Queue page render time (median): 150.0 ms** for 200 handed-off conversations" in report
    assert "about 120.0 ms (110.0 ms of it the SQL query" in report
    assert "about 24.5 ms (13.8 ms of it the template); the rest (5.5 ms)" in report  # 150 - 120 - 24.5
    assert "2,000 conversations (200 with staff now, 1,800 not), 104,977 events, 56.6 MB" in report
    assert re.search(r"\*\*200 rows shown\*\* .*98,818 bytes of HTML", report)
