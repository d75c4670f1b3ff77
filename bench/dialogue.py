"""Dialogue benchmark: per-turn latency through the REST channel over 200 scripted turns (median, p95),
peak memory of both servers, what a client sending 100 KB messages costs the others' turns, and (with --train) the time of a full `rasa train` into a temp dir.

    python -m bench.dialogue [--model models/current.tar.gz] [--turns 200] [--train] [--out reports/bench-dialogue.md]

Targets (2-core machine): median ≤ 150 ms, p95 ≤ 400 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

from tests.e2e.servers import running_servers

ROOT = Path(__file__).resolve().parent.parent

# Scripted conversations (a worker's own words); replayed in turn until the number of turns is reached.
SCRIPTS = [
    ["你好", "俺在北仑厂里干了一年半，娃3岁，能在这交医保不", "是的", "不是，户口在安徽老家", "有", "谢谢"],
    ["孩子在宁波交医保要什么条件", "为什么问这个", "不是宁波户口", "4岁", "医保交了14个月", "有居住证"],
    ["我医保交了18个月，孩子4岁，不是宁波户口，能交医保吗", "不对，是8个月", "不知道", "不知道"],
    ["公司拖欠工资三个月了怎么办", "老板不跟我签劳动合同怎么办", "劳动仲裁怎么申请", "再见"],
    ["我在宁波交了两年社保，孩子能在这里上小学吗", "不是宁波户口", "是", "7岁", "谢谢"],
    ["孩子能在宁波交医保吗", "老板拖欠我工资怎么办", "不是", "3岁", "交了一年", "有"],
    ["我刚参加职工医保，什么时候能开始用", "是", "明天宁波天气怎么样", "不用了"],
    ["我是一线环卫工人，在宁波干了5年，没有房子，能申请住房保障吗", "是", "没有", "重新开始"],
    ["北仑的最低工资标准是多少", "零工市场在哪", "退休手续怎么办", "你是机器人吗"],
    ["我在宁波打工，能参加免费技能培训吗", "是", "高级工能评什么职称", "谢谢"],
]


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (kB), from /proc."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class PeakMemory(threading.Thread):
    def __init__(self, procs: dict):
        super().__init__(daemon=True)
        self.procs, self.peak, self.stop = procs, {name: 0 for name in procs}, threading.Event()

    def run(self):
        while not self.stop.is_set():
            for name, proc in self.procs.items():
                self.peak[name] = max(self.peak[name], rss_kb(proc.pid))
            time.sleep(0.2)



def response_check_ms(calls: int = 50) -> tuple[str, float]:
    """Rasa validates every action-server response against its JSON schema (and, with jsonschema 4.x,
    re-checks the schema itself each time): jsonschema's version and the median cost of one check."""
    from importlib.metadata import version

    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    action = RemoteAction("action_answer", EndpointConfig("http://127.0.0.1:1/webhook"))
    result = {"events": [{"event": "slot", "name": "topic", "value": "wage_arrears"},
                         {"event": "bot", "text": "【要点】……", "data": {}, "metadata": {}}],
              "responses": [{"response": "utter_clause", "quote": "……"}]}
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        action._validate_action_result(result)
        times.append((time.perf_counter() - t0) * 1000)
    return version("jsonschema"), statistics.median(times)


LONG_MESSAGE = "长" * 34_200  # 102,600 bytes of UTF-8: a 100 KB message (the channels' limit is 2,048 bytes)


def play(servers, turns: int, prefix: str) -> list[float]:
    """Latency (ms) of `turns` turns of the scripted conversations, one after another."""
    latencies: list[float] = []
    scripts = itertools.cycle(enumerate(SCRIPTS))
    while len(latencies) < turns:
        index, script = next(scripts)
        sender = f"{prefix}-{index}-{uuid.uuid4().hex[:6]}"
        for text in script:
            if len(latencies) >= turns:
                break
            t0 = time.perf_counter()
            servers.say(sender, text)
            latencies.append((time.perf_counter() - t0) * 1000)
    return latencies


def beside_long_messages(servers, turns: int) -> tuple[list[float], list[float], int]:
    """The scripted turns alone, then the same number while another client sends 100 KB messages without
    pause, then alone again (the two alone halves framing the other against drift): (alone, beside, sent)."""
    alone = play(servers, turns // 2, "alone")
    stop, sent = threading.Event(), [0]

    def flood():
        sender = f"long-{uuid.uuid4().hex[:6]}"
        while not stop.is_set():
            servers.say(sender, LONG_MESSAGE)
            sent[0] += 1

    flooder = threading.Thread(target=flood, daemon=True)
    flooder.start()
    try:
        beside = play(servers, turns, "beside")
    finally:
        stop.set()
        flooder.join(timeout=60)
    alone += play(servers, turns - turns // 2, "alone")
    return alone, beside, sent[0]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="dialogue latency benchmark")
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--out", default=str(ROOT / "reports" / "bench-dialogue.md"))
    parser.add_argument("--long-turns", type=int, default=80,
                        help="turns played alone and beside a client sending 100 KB messages")
    parser.add_argument("--train", action="store_true", help="also time a full `rasa train` into a temp dir")
    args = parser.parse_args(argv)

    train_seconds = None
    if args.train:
        import subprocess
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run([str(Path(sys.executable).parent / "rasa"), "train", "--config", "bot/config.yml",
                            "--domain", "bot/domain", "--data", "data/nlu", "bot/stories", "bot/rules",
                            "--out", tmp], cwd=ROOT, check=True, capture_output=True)
            train_seconds = time.perf_counter() - start

    started = time.perf_counter()
    with running_servers(Path(args.model)) as servers:
        startup = time.perf_counter() - started
        monitor = PeakMemory(servers.procs)
        monitor.start()
        latencies = play(servers, args.turns, "bench")
        alone, beside, long_sent = beside_long_messages(servers, args.long_turns)
        monitor.stop.set()
        monitor.join()
        peak = monitor.peak

    median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    jsonschema_version, check_ms = response_check_ms()
    lines = [
        "# Dialogue benchmark", "",
        f"- machine: {os.cpu_count()} CPUs; model `{args.model}`",
        f"- turns: {len(latencies)} through `POST /webhooks/rest/webhook` ({len(SCRIPTS)} scripted conversations)",
        f"- latency per turn: median **{median:.0f} ms** (target ≤ 150), p95 **{p95:.0f} ms** (target ≤ 400), "
        f"max {max(latencies):.0f} ms",
        f"- beside a client sending 100 KB messages without pause ({long_sent} sent, each refused before NLU): "
        f"median {statistics.median(beside):.0f} ms per turn against {statistics.median(alone):.0f} ms alone "
        f"(the same turns, {len(alone)} before and after): **{statistics.median(beside) - statistics.median(alone):+.0f}"
        f" ms** (target < 50)",
        f"- servers ready after {startup:.1f} s (incl. the first search, which loads the clause index)",
        f"- peak memory (RSS): Rasa server {peak['rasa'] / 1024:.0f} MB, action server {peak['actions'] / 1024:.0f} MB",
        f"- Rasa's check of one action-server response (jsonschema {jsonschema_version}): {check_ms:.1f} ms median",
        f"- training time: {f'{train_seconds:.0f} s (full rasa train)' if train_seconds else 'not measured here; pass --train'}",
        "",
    ]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
