"""Load generator (issue 16): N simulated workers, each playing a scripted conversation through the REST
channel (``POST /webhooks/rest/webhook``), for a fixed time and turn cap; it reports turns/s, latency
(median, p95, p99), errors, the CPU time the servers spent per turn, each server process's peak memory, and
how the turns spread over the replicas.

    python -m bench.load [--seconds 20] [--concurrency 1,10,50] [--replicas 2] [--out reports/bench-load.md]
    python -m bench.load --url http://127.0.0.1:5005 [--url http://127.0.0.1:5006] [--pid rasa=1234 ...]
    python -m bench.load ... --retries 2   # a failed turn is sent again, to the next replica

The default run starts one replica of the embedded profile once (tests/e2e/servers.py: SQLite tracker store)
and plays each concurrency level on it; then the scale profile once (tests/scale/servers.py: PostgreSQL,
Redis, one action server, ``--replicas`` Rasa replicas) at ``--replica-concurrency``, first with every worker
on replica 0 (the same profile's one-replica baseline), then with worker k on replica k % n (routing by
sender id, as a sticky load balancer would). With ``--url`` it plays the levels against servers already
running (worker k on the k % n-th URL); their CPU and memory are reported only for the ``--pid`` given.

Each worker has its own sender id and plays its script turn by turn, waiting for each reply: fixed messages,
and the bot's questions answered by a keyword of the question until a verdict, as the end-to-end tests do
(tests/e2e/test_conversations.py, whose openings and answers these are). When its script ends the worker
starts it again as a new worker (a new sender id); after an error too, since that conversation's state is
then unknown. Loopback only (``http://127.0.0.1:<port>``, no proxy), bounded: no turn starts after
``--seconds`` or once ``--max-turns`` turns of the scenario have started, every request has ``--timeout``.

Every turn carries a ``message_id`` (the channel handles a message with an id once, bot/channels/rest.py).
With ``--retries N`` a turn whose request fails (status other than 200, timeout, connection) is sent again
with the same id, up to N more times, each time to the next replica (and the worker stays there, as a load
balancer fails over); the turn counts once, with the time of all its attempts, and the report says how many
were retried. A turn counts as an error when its last request fails or the reply is the REST channel's
``utter_no_reply`` (a custom action failed: Rasa answers 200 all the same). A bot
question the script has no answer for ends that conversation; those are listed, not counted as errors.
CPU per turn: utime + stime from /proc/<pid>/stat of each server process (and its children), over the
scenario, divided by its successful turns. Peak memory: RSS sampled every 0.25 s (psutil if installed, else
/proc/<pid>/status VmRSS), and VmHWM, the kernel's high-water mark since the process started.

Targets (this 2-core machine): at 10 concurrent conversations on one replica ≥ 25 turns/s and p95 ≤ 400 ms;
zero errors; two replicas faster than one.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERDICT = "【结论】"
# Bounds no command line can lift.
MAX_SECONDS, MAX_CONCURRENCY, MAX_TURNS, MAX_TIMEOUT, MAX_RETRIES = 300.0, 200, 20_000, 120.0, 5
MAX_ANSWERS = 8  # questions answered in one questionnaire before the script gives up on a verdict
ERROR_PAUSE = 0.2  # seconds a worker waits after an error: a server that is down is not hammered
SAMPLE_SECONDS = 0.25
TARGET_TURNS_PER_S, TARGET_P95_MS, TARGET_CONCURRENCY = 25.0, 400.0, 10


# ------------------------------------------------------------------------------------------------ scripts


@dataclass(frozen=True)
class Answers:
    """A questionnaire: the bot's questions answered by keyword (the first keyword found in the question,
    in order), until the reply holds a verdict."""

    by_keyword: Mapping[str, str]

    def answer(self, question: str) -> str | None:
        return next((text for key, text in self.by_keyword.items() if key in question), None)


@dataclass(frozen=True)
class Script:
    """A worker's conversation: messages sent as they are, and questionnaires."""

    name: str
    steps: tuple[str | Answers, ...]


# The openings and answers of tests/e2e/test_conversations.py (the test each comes from is its name). No
# hand-off: a conversation with staff would stop answering.
SCRIPTS: tuple[Script, ...] = (
    Script("child_medical_insurance_eligible", (
        "俺在北仑厂里干了一年半，娃3岁，能在这交医保不",
        Answers({"18个月": "是的，一直交着", "户口": "不是，户口在安徽老家", "居住证": "有"}))),
    Script("wage_arrears_general_question", ("公司拖欠工资三个月了怎么办", "要带什么材料")),
    Script("labour_contract_question", ("老板不跟我签劳动合同怎么办",)),
    Script("facts_in_the_question_are_not_asked_again", (
        "娃4岁没宁波户口能交医保不", Answers({"医保": "交了14个月", "宁波工作": "是", "居住证": "有"}))),
    Script("correction_after_verdict_changes_the_verdict", (
        "我医保交了18个月，孩子4岁，不是宁波户口，有居住证，能在宁波交医保吗", Answers({"居住证": "有", "户口": "不是"}),
        "不对，医保是交了8个月", Answers({"爱人": "不知道", "居住证": "有", "户口": "不是"}))),
    Script("topic_switch_to_wage_arrears_mid_form", ("孩子能在宁波交医保吗", "老板拖欠我工资怎么办")),
    Script("school_enrollment", (
        "我在宁波交了两年社保，孩子能在这里上小学吗",
        Answers({"户口": "不是宁波户口", "周岁": "7岁", "宁波工作": "是", "社保": "两年"}))),
    Script("medical_benefits_start", (
        "我刚参加职工医保，什么时候能开始用", Answers({"宁波工作": "是", "多少个月": "1个月"}))),
    Script("why_is_this_asked_quotes_the_clause", ("孩子在宁波交医保有什么条件", "为什么问这个")),
    Script("skills_training", ("我在宁波打工，能参加免费技能培训吗", Answers({"宁波工作": "是"}))),
    Script("sanitation_worker_housing_is_referred", (
        "我是一线环卫工人，在宁波干了5年，没有房子，能申请住房保障吗",
        Answers({"几年": "5年", "一线": "是", "房子": "没有", "宁波工作": "是", "证书": "没有证书", "户口": "不是"}))),
    Script("the_documents_themselves", ("甬上乐业若干措施措施3原文", "入学这条的责任单位是哪个")),
    Script("one_indicator_of_the_targets_table", ("北仑2027年技能人才占从业人员比例目标是多少", "仲裁结案率的目标是多少")),
    Script("out_of_scope_offers_handoff", ("明天宁波天气怎么样",)),
)


def reply_text(messages: Sequence[Mapping]) -> str:
    """The bot's messages as one text, buttons as `` [title]`` (as tests/e2e reads them)."""
    return "\n".join((m.get("text") or "") + "".join(f" [{b.get('title', '')}]" for b in m.get("buttons") or ())
                     for m in messages)


def last_line(reply: str) -> str:
    """The bot's question: the last line of its reply."""
    lines = reply.strip().splitlines()
    return lines[-1] if lines else ""


class Conversation:
    """One worker's way through a script: ``next_message(reply)`` is what the worker says next (the
    opening for ``reply=None``), or None when the script is done or the bot asked what it cannot answer
    (``off_script`` is then that question)."""

    def __init__(self, script: Script, max_answers: int = MAX_ANSWERS) -> None:
        if not script.steps or not isinstance(script.steps[0], str):
            raise ValueError(f"script {script.name!r} must open with a message")
        self.script, self.max_answers = script, max_answers
        self.step, self.answered, self.off_script = 0, 0, None
        self.verdicts = 0

    def next_message(self, reply: str | None) -> str | None:
        reply = reply or ""
        while self.step < len(self.script.steps):
            step = self.script.steps[self.step]
            if isinstance(step, str):
                self.step += 1
                return step
            if VERDICT in reply:
                self.verdicts += 1
            elif self.answered >= self.max_answers:
                self.off_script = f"no verdict after {self.answered} answers: {last_line(reply)}"
                return None
            else:
                text = step.answer(last_line(reply))
                if text is None:
                    self.off_script = last_line(reply)
                    return None
                self.answered += 1
                return text
            self.step, self.answered = self.step + 1, 0
        return None

    @property
    def finished(self) -> bool:
        return self.step >= len(self.script.steps) and self.off_script is None


# ------------------------------------------------------------------------------------------------ bounds


def loopback_url(url: str) -> str:
    """``http://127.0.0.1:<port>`` (a trailing slash allowed); anything else is refused."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError as error:
        raise ValueError(f"{url!r}: {error}") from None
    if (parts.scheme != "http" or parts.hostname != "127.0.0.1" or port is None or parts.username
            or parts.password or parts.path not in ("", "/") or parts.query or parts.fragment):
        raise ValueError(f"{url!r}: only http://127.0.0.1:<port> is accepted (loopback only)")
    return f"http://127.0.0.1:{port}"


def concurrency_levels(text: str) -> list[int]:
    levels = [int(part) for part in text.split(",") if part.strip()]
    if not levels or any(not 1 <= n <= MAX_CONCURRENCY for n in levels):
        raise ValueError(f"concurrency levels must be 1..{MAX_CONCURRENCY}: {text!r}")
    return levels


class Budget:
    """One scenario's bound: no turn starts after ``seconds`` or once ``max_turns`` turns have started.
    The workers share it in one event loop, so ``take`` needs no lock."""

    def __init__(self, seconds: float, max_turns: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock, self.max_turns = clock, max_turns
        self.deadline = clock() + seconds
        self.started = 0

    def take(self) -> bool:
        if self.started >= self.max_turns or self.clock() >= self.deadline:
            return False
        self.started += 1
        return True

    @property
    def capped(self) -> bool:
        return self.started >= self.max_turns


def route(worker: int, replicas: int) -> int:
    """Worker k talks to replica k % n: a sender id stays on one replica, as sticky sessions keep it."""
    return worker % replicas


# ------------------------------------------------------------------------------------------------ client


@dataclass(frozen=True)
class Turn:
    worker: int
    replica: int          # the replica that answered (or the last one tried)
    script: str
    latency_ms: float     # of all its attempts
    error: str | None = None
    attempts: int = 1


@dataclass
class Played:
    """What the workers of one scenario did."""

    turns: list[Turn] = field(default_factory=list)
    completed: int = 0                                     # conversations played to the end of their script
    verdicts: int = 0
    off_script: list[tuple[str, str]] = field(default_factory=list)   # (script, the question not answered)
    answered: dict[str, list[str]] = field(default_factory=dict)      # sender -> its messages the bot answered


Send = Callable[[str, str, str, str], Awaitable[list[dict]]]   # (base url, sender, text, message id) -> messages


class HTTPStatusError(Exception):
    pass


def rest_sender(session, timeout: float) -> Send:
    """POST /webhooks/rest/webhook through an aiohttp session."""
    import aiohttp

    client_timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(url: str, sender: str, text: str, message_id: str) -> list[dict]:
        body = {"sender": sender, "message": text, "message_id": message_id}
        async with session.post(f"{url}/webhooks/rest/webhook", json=body, timeout=client_timeout) as response:
            if response.status != 200:
                raise HTTPStatusError(f"HTTP {response.status}")
            return await response.json(content_type=None)

    return send


def error_kind(error: BaseException) -> str:
    if isinstance(error, HTTPStatusError):
        return str(error)
    if isinstance(error, asyncio.TimeoutError):
        return "timeout"
    return type(error).__name__


async def play_worker(worker: int, send: Send, urls: Sequence[str], scripts: Sequence[Script], budget: Budget,
                      played: Played, tag: str, no_reply: str | None = None, once: bool = False,
                      first: int | None = None, retries: int = 0) -> None:
    """One simulated worker: its scripts one after another (from script ``first``, by default
    ``worker % len``), each as a new sender, until the budget says stop (or after one script with ``once``).
    A failed request is sent again ``retries`` times at most, with the same message id, to the next replica."""
    replica, first = route(worker, len(urls)), worker if first is None else first
    for round_ in count():
        script = scripts[(first + round_) % len(scripts)]
        conversation, sender, reply = Conversation(script), f"{tag}-w{worker}-c{round_}", None
        failed = False
        while (text := conversation.next_message(reply)) is not None:
            if not budget.take():
                return
            start, message_id = time.perf_counter(), f"t{len(played.answered.get(sender, ()))}"
            for attempt in range(retries + 1):
                if attempt:
                    replica = (replica + 1) % len(urls)
                try:
                    messages = await send(urls[replica], sender, text, message_id)
                except Exception as exc:   # every failure of a turn is counted, by its kind
                    error = error_kind(exc)
                    if attempt < retries:
                        await asyncio.sleep(ERROR_PAUSE)
                    continue
                reply = reply_text(messages)
                error = "no reply (utter_no_reply: a custom action failed)" if no_reply and no_reply in reply \
                    else None
                played.answered.setdefault(sender, []).append(text)
                break
            played.turns.append(Turn(worker, replica, script.name, (time.perf_counter() - start) * 1000, error,
                                     attempt + 1))
            if error:
                failed = True
                await asyncio.sleep(ERROR_PAUSE)
                break
        played.verdicts += conversation.verdicts
        if conversation.off_script is not None:
            played.off_script.append((script.name, conversation.off_script))
        elif not failed:
            played.completed += 1
        if once:
            return


async def play(urls: Sequence[str], concurrency: int, seconds: float, max_turns: int, timeout: float,
               scripts: Sequence[Script] = SCRIPTS, no_reply: str | None = None,
               send: Send | None = None, retries: int = 0) -> tuple[Played, float, bool]:
    """``concurrency`` workers against ``urls`` within the bounds: (what they did, wall seconds from the
    first turn until the last reply, whether the turn cap stopped them)."""
    import aiohttp

    urls = [loopback_url(u) for u in urls]
    played, tag = Played(), f"load-{uuid.uuid4().hex[:8]}"
    connector = aiohttp.TCPConnector(limit=0)   # each worker has one request in flight at most
    async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:   # never a proxy
        send = send or rest_sender(session, timeout)
        budget = Budget(seconds, max_turns)
        start = time.perf_counter()
        await asyncio.gather(*(play_worker(k, send, urls, scripts, budget, played, tag, no_reply, retries=retries)
                               for k in range(concurrency)))
        elapsed = time.perf_counter() - start
    return played, elapsed, budget.capped


async def warm_up(urls: Sequence[str], timeout: float, scripts: Sequence[Script] = SCRIPTS,
                  no_reply: str | None = None) -> Played:
    """Every script once on every replica (not measured): the first verdict, search and so on of a
    process are slower."""
    import aiohttp

    urls = [loopback_url(u) for u in urls]
    played, tag = Played(), f"warm-{uuid.uuid4().hex[:8]}"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), trust_env=False) as session:
        send, budget = rest_sender(session, timeout), Budget(MAX_SECONDS, MAX_TURNS)
        # worker i*n + r talks to replica r and plays script i
        await asyncio.gather(*(play_worker(i * len(urls) + r, send, urls, scripts, budget, played, tag, no_reply,
                                           once=True, first=i)
                               for r in range(len(urls)) for i in range(len(scripts))))
    return played


# ------------------------------------------------------------------------------------------------ arithmetic


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0 ≤ q ≤ 1), linear between the closest ranks (numpy's default); NaN for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class ReplicaShare:
    replica: int
    turns: int
    errors: int
    share: float          # of all the scenario's successful turns
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class Summary:
    name: str
    concurrency: int
    replicas: int
    elapsed_s: float
    turns: int            # successful turns
    errors: int
    error_kinds: dict[str, int]
    turns_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    retried: int          # turns answered (or failed) after more than one attempt
    per_replica: list[ReplicaShare]
    completed: int
    verdicts: int
    off_script: list[tuple[str, str]]
    capped: bool


def summarise(name: str, concurrency: int, replicas: int, played: Played, elapsed_s: float,
              capped: bool = False) -> Summary:
    ok = [t for t in played.turns if t.error is None]
    latencies = [t.latency_ms for t in ok]
    shares = []
    for r in range(replicas):
        mine = [t.latency_ms for t in ok if t.replica == r]
        shares.append(ReplicaShare(r, len(mine), sum(1 for t in played.turns if t.replica == r and t.error),
                                   len(mine) / len(ok) if ok else 0.0, percentile(mine, 0.5),
                                   percentile(mine, 0.95)))
    errors = Counter(t.error for t in played.turns if t.error)
    return Summary(name, concurrency, replicas, elapsed_s, len(ok), sum(errors.values()), dict(errors),
                   len(ok) / elapsed_s if elapsed_s > 0 else 0.0, percentile(latencies, 0.5),
                   percentile(latencies, 0.95), percentile(latencies, 0.99), max(latencies, default=math.nan),
                   sum(1 for t in played.turns if t.attempts > 1), shares, played.completed, played.verdicts, list(played.off_script), capped)


# ------------------------------------------------------------------------------------------------ /proc


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_ticks(stat: str) -> int:
    """utime + stime (clock ticks) from the text of /proc/<pid>/stat; the command name, in parentheses,
    may itself hold spaces and parentheses."""
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])   # fields 14 and 15 of the line; 3 is the first after the name


def status_kb(status: str, key: str) -> int:
    """A ``kB`` field of /proc/<pid>/status (VmRSS, VmHWM); 0 when absent."""
    for line in status.splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return 0


def machine_ticks(stat: str) -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs from /proc/stat's first line (idle and iowait are not busy)."""
    values = [int(v) for v in stat.splitlines()[0].split()[1:]]
    total = sum(values[:8])                     # guest time is already counted in user and nice
    return total - values[3] - values[4], total


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def process_tree(pid: int) -> list[int]:
    """``pid`` and its live descendants."""
    pids, queue = [], [pid]
    while queue:
        p = queue.pop()
        pids.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            queue += [int(c) for c in _read(f"{task}/children").split()]
    return pids


def tree_cpu_ticks(pid: int) -> int:
    return sum(cpu_ticks(text) for p in process_tree(pid) if (text := _read(f"/proc/{p}/stat")))


def _rss_kb_proc(pid: int) -> int:
    return status_kb(_read(f"/proc/{pid}/status"), "VmRSS")


try:
    import psutil

    def _rss_kb(pid: int) -> int:
        try:
            return psutil.Process(pid).memory_info().rss // 1024
        except psutil.Error:
            return 0

    RSS_SOURCE = f"psutil {psutil.__version__}"
except ImportError:
    _rss_kb, RSS_SOURCE = _rss_kb_proc, "/proc/<pid>/status VmRSS (psutil is not installed)"


def comm_pids(names: set[str]) -> list[int]:
    """Every process whose command name is one of ``names`` (PostgreSQL's and Redis's, say)."""
    return [int(d.name) for d in Path("/proc").iterdir()
            if d.name.isdigit() and _read(f"/proc/{d.name}/comm").strip() in names]


class ProcessProbe(threading.Thread):
    """During one scenario: peak RSS of each named server process (with its children), sampled; and, from
    start to stop, the CPU ticks of each, of this load generator, of PostgreSQL and Redis, and of the
    whole machine (what other processes on a shared machine took is the rest)."""

    SERVICES = {"postgres", "redis-server"}

    def __init__(self, pids: Mapping[str, int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak_kb = dict(pids), {name: 0 for name in pids}
        self._stop_event = threading.Event()
        self.cpu_s: dict[str, float] = {}
        self.machine_busy_s = self.machine_total_s = 0.0
        self.self_s = self.services_s = 0.0
        self.hwm_kb: dict[str, int] = {}

    def _snapshot(self) -> tuple[dict[str, int], int, int, int, int]:
        busy, total = machine_ticks(_read("/proc/stat") or "cpu 0 0 0 0 0 0 0 0")
        servers = {name: tree_cpu_ticks(pid) for name, pid in self.pids.items()}
        # each process alone, not its tree: the servers are this process's children, PostgreSQL's backends
        # its postmaster's (and every one of them is in comm_pids)
        own = cpu_ticks(_read(f"/proc/{os.getpid()}/stat"))
        services = sum(cpu_ticks(text) for p in comm_pids(self.SERVICES) if (text := _read(f"/proc/{p}/stat")))
        return servers, own, services, busy, total

    def start(self) -> None:
        self._before = self._snapshot()
        super().start()

    def run(self) -> None:
        while not self._stop_event.is_set():
            for name, pid in self.pids.items():
                self.peak_kb[name] = max(self.peak_kb[name], sum(_rss_kb(p) for p in process_tree(pid)))
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        after = self._snapshot()
        (cpu0, self0, services0, busy0, total0), (cpu1, self1, services1, busy1, total1) = self._before, after
        self.cpu_s = {name: (cpu1[name] - cpu0[name]) / CLOCK_TICKS for name in self.pids}
        self.self_s, self.services_s = (self1 - self0) / CLOCK_TICKS, (services1 - services0) / CLOCK_TICKS
        self.machine_busy_s, self.machine_total_s = (busy1 - busy0) / CLOCK_TICKS, (total1 - total0) / CLOCK_TICKS
        self.hwm_kb = {name: status_kb(_read(f"/proc/{pid}/status"), "VmHWM") for name, pid in self.pids.items()}


@dataclass(frozen=True)
class Resources:
    cpu_s: dict[str, float]
    peak_kb: dict[str, int]
    hwm_kb: dict[str, int]
    self_s: float
    services_s: float
    machine_busy_s: float
    machine_total_s: float

    @classmethod
    def of(cls, probe: ProcessProbe) -> Resources:
        return cls(probe.cpu_s, probe.peak_kb, probe.hwm_kb, probe.self_s, probe.services_s,
                   probe.machine_busy_s, probe.machine_total_s)


def cpu_ms_per_turn(cpu_s: Mapping[str, float], turns: int) -> float:
    """Server CPU time consumed / successful turns, in ms."""
    return sum(cpu_s.values()) * 1000 / turns if turns else math.nan


# ------------------------------------------------------------------------------------------------ report


@dataclass(frozen=True)
class Result:
    summary: Summary
    setup: str                            # "embedded" | "scale" | "given"
    resources: Resources | None = None


@dataclass(frozen=True)
class Target:
    what: str
    figure: str
    met: bool | None                      # None: not measured in this run


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0f}"


def scaling_ratio(results: Sequence[Result], replicas: int) -> tuple[float, Result, Result] | None:
    """(turns/s of n replicas / turns/s of one, the n-replica result, the one-replica baseline at the same
    concurrency: the same setup's if it ran, else any)."""
    many = next((r for r in results if r.summary.replicas == replicas > 1), None)
    if many is None:
        return None
    same = [r for r in results if r.summary.replicas == 1 and r.summary.concurrency == many.summary.concurrency]
    base = next((r for r in same if r.setup == many.setup), same[0] if same else None)
    if base is None or not base.summary.turns_per_s:
        return None
    return many.summary.turns_per_s / base.summary.turns_per_s, many, base


def targets(results: Sequence[Result], replicas: int) -> list[Target]:
    one = next((r.summary for r in results if r.setup in ("embedded", "given") and r.summary.replicas == 1
                and r.summary.concurrency == TARGET_CONCURRENCY), None)
    found = []
    if one is None:
        found += [Target(f"≥ {TARGET_TURNS_PER_S:.0f} turns/s at {TARGET_CONCURRENCY} concurrent, one replica",
                         "not measured", None),
                  Target(f"p95 ≤ {TARGET_P95_MS:.0f} ms at {TARGET_CONCURRENCY} concurrent, one replica",
                         "not measured", None)]
    else:
        found += [Target(f"≥ {TARGET_TURNS_PER_S:.0f} turns/s at {TARGET_CONCURRENCY} concurrent, one replica",
                         f"{one.turns_per_s:.1f} turns/s", one.turns_per_s >= TARGET_TURNS_PER_S),
                  Target(f"p95 ≤ {TARGET_P95_MS:.0f} ms at {TARGET_CONCURRENCY} concurrent, one replica",
                         f"{_ms(one.p95_ms)} ms", one.p95_ms <= TARGET_P95_MS)]
    errors = sum(r.summary.errors for r in results)
    found.append(Target("zero errors (every scenario)",
                        f"{errors} errors in {sum(r.summary.turns + r.summary.errors for r in results)} turns",
                        errors == 0 if results else None))
    ratio = scaling_ratio(results, replicas)
    if ratio is None:
        found.append(Target(f"{max(replicas, 2)} replicas faster than one", "not measured", None))
    else:
        value, many, base = ratio
        found.append(Target(f"{replicas} replicas faster than one",
                            f"×{value:.2f} ({many.summary.turns_per_s:.1f} vs {base.summary.turns_per_s:.1f} "
                            f"turns/s at {many.summary.concurrency} concurrent, {base.summary.name})", value > 1))
    return found


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**MISSED**", None: "not measured"}[met]


def render(results: Sequence[Result], machine: Sequence[str], notes: Sequence[str], replicas: int) -> str:
    lines = ["# Load benchmark (python -m bench.load)", "", "## Machine", "", *[f"- {m}" for m in machine], ""]
    lines += ["## Scenarios", "",
              "| scenario | replicas | concurrent | turns | turns/s | p50 ms | p95 ms | p99 ms | max ms | errors "
              "| server CPU ms/turn |",
              "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |"]
    for r in results:
        s = r.summary
        cpu = _ms(cpu_ms_per_turn(r.resources.cpu_s, s.turns)) if r.resources and r.resources.cpu_s else "–"
        lines.append(f"| {s.name} | {s.replicas} | {s.concurrency} | {s.turns} | {s.turns_per_s:.1f} | "
                     f"{_ms(s.p50_ms)} | {_ms(s.p95_ms)} | {_ms(s.p99_ms)} | {_ms(s.max_ms)} | {s.errors} | {cpu} |")
    lines.append("")
    for r in results:
        s = r.summary
        lines += [f"### {s.name}, {s.concurrency} concurrent", "",
                  f"- {s.turns} turns in {s.elapsed_s:.1f} s{' (stopped by the turn cap)' if s.capped else ''}; "
                  f"{s.completed} conversations played to the end of their script, {s.verdicts} verdicts"]
        if s.retried:
            lines.append(f"- {s.retried} turns sent again (same message id) after a failed request")
        if s.errors:
            lines.append("- errors: " + ", ".join(f"{kind} × {n}" for kind, n in sorted(s.error_kinds.items())))
        if s.off_script:
            seen = Counter(s.off_script)
            lines.append(f"- {len(s.off_script)} conversations ended on a question the script cannot answer: "
                         + "; ".join(f"{name}: 「{q}」 × {n}" for (name, q), n in seen.most_common(5)))
        if s.replicas > 1:
            lines.append("- turns per replica: " + "; ".join(
                f"replica {p.replica}: {p.turns} ({p.share:.0%}), p50 {_ms(p.p50_ms)} ms, p95 {_ms(p.p95_ms)} ms"
                + (f", {p.errors} errors" if p.errors else "") for p in s.per_replica))
        res = r.resources
        if res and res.cpu_s:
            lines.append("- server CPU: " + "; ".join(
                f"{name} {seconds:.1f} s ({_ms(seconds * 1000 / s.turns) if s.turns else '–'} ms/turn)"
                for name, seconds in res.cpu_s.items())
                + f"; total {_ms(cpu_ms_per_turn(res.cpu_s, s.turns))} ms/turn")
            lines.append("- peak RSS (sampled during the scenario / VmHWM since start): " + "; ".join(
                f"{name} {res.peak_kb[name] / 1024:.0f} / {res.hwm_kb.get(name, 0) / 1024:.0f} MB"
                for name in res.cpu_s))
            other = res.machine_busy_s - sum(res.cpu_s.values()) - res.self_s - res.services_s
            lines.append(f"- machine CPU over the scenario: {res.machine_busy_s:.1f} of {res.machine_total_s:.1f} "
                         f"CPU-s busy; servers {sum(res.cpu_s.values()):.1f}, load generator {res.self_s:.1f}, "
                         f"PostgreSQL + Redis {res.services_s:.1f}, other processes {max(other, 0.0):.1f}")
        lines.append("")
    ratio = scaling_ratio(results, replicas)
    if ratio:
        value, many, base = ratio
        lines += ["## Scaling", "",
                  f"{many.summary.name}: {many.summary.turns_per_s:.1f} turns/s against {base.summary.name}: "
                  f"{base.summary.turns_per_s:.1f} turns/s at {many.summary.concurrency} concurrent: ×{value:.2f}."]
        other = [r for r in results if r.summary.replicas == 1 and r.setup != many.setup
                 and r.summary.concurrency == many.summary.concurrency]
        if other and other[0].summary.turns_per_s:
            lines.append(f"Against {other[0].summary.name} (another tracker store and lock store): "
                         f"×{many.summary.turns_per_s / other[0].summary.turns_per_s:.2f}.")
        lines.append("")
    lines += ["## Targets", "", "| target | figure | |", "| --- | --- | --- |"]
    lines += [f"| {t.what} | {t.figure} | {_verdict(t.met)} |" for t in targets(results, replicas)]
    lines += ["", *notes, ""] if notes else [""]
    return "\n".join(lines)


def machine_info(model: Path | None) -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    def package(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = status_kb(_read("/proc/meminfo"), "MemTotal")
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        head, dirty = "unknown", ""
    lines = [f"{datetime.now().isoformat(timespec='seconds')}; {platform.platform()}",
             f"{os.cpu_count()} CPUs ({cpu}), {memory / 1024 / 1024:.1f} GB memory; load average at start "
             f"{' '.join(_read('/proc/loadavg').split()[:3])}",
             f"Python {platform.python_version()}, rasa {package('rasa')}, rasa-sdk {package('rasa-sdk')}, "
             f"aiohttp {package('aiohttp')}; RSS from {RSS_SOURCE}",
             f"commit {head}{' with uncommitted changes in the tree' if dirty else ''}; "
             f"YSLY_AS_OF {os.environ.get('YSLY_AS_OF') or 'unset (servers started here answer for AS_OF of tests/e2e/servers.py)'}"]
    if model is not None and model.exists():
        stamp = datetime.fromtimestamp(model.stat().st_mtime).isoformat(timespec="seconds")
        lines.append(f"model `{model.relative_to(ROOT) if model.is_relative_to(ROOT) else model}` "
                     f"({model.stat().st_size / 1e6:.0f} MB, built {stamp})")
    return lines


def no_reply_text() -> str | None:
    """The REST channel's utter_no_reply text, from the domain (a 200 reply that hides a failed action)."""
    import yaml

    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        if responses.get("utter_no_reply"):
            return responses["utter_no_reply"][0].get("text")
    return None


# ------------------------------------------------------------------------------------------------ runs


@dataclass(frozen=True)
class Options:
    seconds: float
    levels: list[int]
    max_turns: int
    timeout: float
    no_reply: str | None
    retries: int = 0


def run_scenario(name: str, setup: str, urls: Sequence[str], concurrency: int, options: Options,
                 pids: Mapping[str, int]) -> Result:
    print(f"bench.load: {name}, {concurrency} concurrent, {options.seconds:.0f} s ...", file=sys.stderr, flush=True)
    probe = ProcessProbe(pids) if pids else None
    if probe:
        probe.start()
    try:
        played, elapsed, capped = asyncio.run(play(urls, concurrency, options.seconds, options.max_turns,
                                                   options.timeout, no_reply=options.no_reply,
                                                   retries=options.retries))
    finally:
        if probe:
            probe.stop()
    summary = summarise(name, concurrency, len(urls), played, elapsed, capped)
    print(f"bench.load:   {summary.turns} turns, {summary.turns_per_s:.1f} turns/s, p50 {_ms(summary.p50_ms)} "
          f"p95 {_ms(summary.p95_ms)} p99 {_ms(summary.p99_ms)} ms, {summary.errors} errors", file=sys.stderr,
          flush=True)
    return Result(summary, setup, Resources.of(probe) if probe else None)


def _warm(urls: Sequence[str], options: Options) -> str:
    played = asyncio.run(warm_up(urls, options.timeout, no_reply=options.no_reply))
    failed = sum(1 for t in played.turns if t.error)
    return (f"warm-up on {', '.join(urls)}: {len(played.turns)} turns, {failed} errors, "
            f"{len(played.off_script)} conversations off script (not measured)")


def run_embedded(model: Path, options: Options, notes: list[str]) -> list[Result]:
    from tests.e2e.servers import running_servers

    started = time.perf_counter()
    with running_servers(model) as servers:
        notes.append(f"- embedded profile (SQLite tracker store): servers ready in "
                     f"{time.perf_counter() - started:.0f} s")
        notes.append(f"- {_warm([servers.url], options)}")
        pids = {name: proc.pid for name, proc in servers.procs.items()}
        return [run_scenario("embedded, 1 replica", "embedded", [servers.url], n, options, pids)
                for n in options.levels]


def run_scale(model: Path, replicas: int, concurrency: int, options: Options, notes: list[str]) -> list[Result]:
    from tests.scale.servers import running_replicas

    started = time.perf_counter()
    with running_replicas(model, n=replicas) as cluster:
        urls = [cluster.url(i) for i in range(replicas)]
        notes.append(f"- scale profile (PostgreSQL tracker store, Redis lock store, one action server): "
                     f"{replicas} replicas ready in {time.perf_counter() - started:.0f} s")
        notes.append(f"- {_warm(urls, options)}")
        pids = {name: proc.pid for name, proc in cluster.procs.items()}
        one = {name: pid for name, pid in pids.items() if name in ("actions", "rasa0")}
        return [run_scenario("scale, 1 replica", "scale", urls[:1], concurrency, options, one),
                run_scenario(f"scale, {replicas} replicas", "scale", urls, concurrency, options, pids)]


def _pid_option(text: str) -> tuple[str, int]:
    name, _, pid = text.partition("=")
    if not name or not pid.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=PID")
    return name, int(pid)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each scenario")
    parser.add_argument("--concurrency", default="1,10,50", help="concurrent conversations on one replica")
    parser.add_argument("--replicas", type=int, default=2, help="replicas of the scale profile (0: skip it)")
    parser.add_argument("--replica-concurrency", type=int, default=TARGET_CONCURRENCY,
                        help="concurrent conversations on the scale profile")
    parser.add_argument("--max-turns", type=int, default=5000, help="turn cap of each scenario")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--retries", type=int, default=0,
                        help="times a failed turn is sent again (same message id), each to the next replica")
    parser.add_argument("--url", action="append", default=[], help="an already running server (repeatable)")
    parser.add_argument("--pid", action="append", default=[], type=_pid_option,
                        help="NAME=PID of a server process of --url, for CPU and memory (repeatable)")
    parser.add_argument("--out", default=str(ROOT / "reports" / "bench-load.md"))
    args = parser.parse_args(argv)
    try:
        levels = concurrency_levels(args.concurrency)
        urls = [loopback_url(u) for u in args.url]
        if not 0 < args.seconds <= MAX_SECONDS or not 0 < args.max_turns <= MAX_TURNS \
                or not 0 < args.timeout <= MAX_TIMEOUT or not 0 <= args.replicas <= 8 \
                or not 1 <= args.replica_concurrency <= MAX_CONCURRENCY or not 0 <= args.retries <= MAX_RETRIES:
            raise ValueError(f"bounds: 0 < --seconds ≤ {MAX_SECONDS:.0f}, 0 < --max-turns ≤ {MAX_TURNS}, "
                             f"0 < --timeout ≤ {MAX_TIMEOUT:.0f}, 0 ≤ --replicas ≤ 8, "
                             f"1 ≤ --replica-concurrency ≤ {MAX_CONCURRENCY}, 0 ≤ --retries ≤ {MAX_RETRIES}")
    except ValueError as error:
        parser.error(str(error))
    options = Options(args.seconds, levels, args.max_turns, args.timeout, no_reply_text(), args.retries)
    model = Path(args.model).resolve()
    machine = machine_info(None if urls else model)
    results: list[Result] = []
    notes = ["## Notes", "",
             f"- each scenario: {args.seconds:.0f} s, turn cap {args.max_turns}, request timeout {args.timeout:.0f} s; "
             f"{len(SCRIPTS)} scripts from tests/e2e/test_conversations.py; turns/s counts successful turns over the "
             "wall time from the first request to the last reply",
             "- server CPU: utime + stime of the Rasa and action server processes (/proc/<pid>/stat); PostgreSQL "
             "and Redis are not in it (their figure, every process of theirs on the machine, is given apart)"]
    failed = None
    started = time.perf_counter()
    try:
        if urls:
            pids = dict(args.pid)
            results += [run_scenario(f"given server{'s' if len(urls) > 1 else ''}", "given", urls, n, options, pids)
                        for n in levels]
        else:
            if not model.exists():
                parser.error(f"no model at {model} (make train)")
            results += run_embedded(model, options, notes)
            if args.replicas:
                results += run_scale(model, args.replicas, args.replica_concurrency, options, notes)
    except Exception as error:   # a setup that did not start is reported, then the run fails
        failed = f"- **run stopped**: {type(error).__name__}: {str(error)[:2000]}"
        notes.append(failed)
    notes.append(f"- whole run {time.perf_counter() - started:.0f} s")
    report = render(results, machine, notes, args.replicas if not urls else len(urls))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
