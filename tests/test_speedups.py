"""bot.speedups changes how often Rasa does its work, never what it decides."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import speedups

ROOT = Path(__file__).resolve().parent.parent

# Rasa's own validation, as it is before bot.speedups.install()
ORIGINAL = getattr(RemoteAction._validate_action_result, "__wrapped__", RemoteAction._validate_action_result)


def outcome(validate, result):
    try:
        return validate(RemoteAction, result)  # the schema is a static method: the class stands for self
    except ValidationError as error:
        return ("ValidationError", error.message, list(error.path))


VALID = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "child_age", "value": 3}], "responses": [{"response": "utter_verdict"}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "action_listen"}]},
    {"responses": [{"text": "好的", "buttons": []}]},
]
INVALID = [
    {"events": "slot"},
    {"events": [{"name": "child_age"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": 3, "value": 1}]},
    {"responses": "utter_verdict"},
    {"events": [{"event": "user", "text": 5}]},
]


@pytest.mark.parametrize("result", VALID + INVALID)
def test_action_responses_are_judged_as_rasa_judges_them(result):
    assert outcome(speedups._validate_action_result, result) == outcome(ORIGINAL, result)


def test_the_cases_above_hold_both_kinds():
    assert all(outcome(ORIGINAL, r) is True for r in VALID)
    assert all(outcome(ORIGINAL, r) != True for r in INVALID)  # noqa: E712 - a tuple, not a truthy check


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
event_names = st.sampled_from(["slot", "user", "bot", "action", "active_loop", "followup", "reset_slots", "x"])
events = st.dictionaries(st.sampled_from(["event", "name", "value", "text", "timestamp"]), json_values, max_size=4) | \
    st.builds(lambda name, rest: {"event": name, **rest}, event_names,
              st.dictionaries(st.sampled_from(["name", "value", "text"]), json_values, max_size=3))
responses = st.dictionaries(st.sampled_from(["events", "responses", "other"]),
                            st.lists(events, max_size=3) | json_values, max_size=3)


@settings(max_examples=300, deadline=None)
@given(responses)
def test_any_response_is_judged_as_rasa_judges_it(result):
    assert outcome(speedups._validate_action_result, result) == outcome(ORIGINAL, result)


def test_install_is_idempotent_and_replaces_the_method(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL)
    speedups.install()
    speedups.install()
    installed = RemoteAction._validate_action_result
    assert getattr(installed, speedups.INSTALLED) and installed.__wrapped__ is ORIGINAL
    assert outcome(installed, INVALID[0]) == outcome(ORIGINAL, INVALID[0])


def test_a_model_loaded_for_prediction_says_what_rasas_loading_says(trained_model, tmp_path):
    """DIET and TED loaded by bot.speedups against Rasa's own loading (YSLY_SPEEDUPS=0), in two processes
    at once: the same intent rankings, entities and TED action probabilities for ~140 messages."""
    import json
    import os
    import subprocess
    import sys

    def start(name, speedups_on):
        env = {**os.environ, "YSLY_SPEEDUPS": "1" if speedups_on else "0"}
        return subprocess.Popen([sys.executable, "-m", "tests.model_probe", str(trained_model),
                                 str(tmp_path / f"{name}.json")], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=(tmp_path / f"{name}.log").open("wb"))

    procs = {"fast": start("fast", True), "rasa": start("rasa", False)}
    for name, proc in procs.items():
        assert proc.wait(timeout=600) == 0, (tmp_path / f"{name}.log").read_text(errors="replace")[-3000:]
    fast, rasa = (json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8")) for name in procs)
    loader = "loaded for prediction only"
    assert fast.pop(loader) is True and rasa.pop(loader) is False
    assert len(rasa) > 100 and all(said["ranking"] and said["ted"][0] for said in rasa.values())
    assert fast == rasa


def test_the_nlu_runs_in_its_own_thread_while_the_event_loop_serves_others(rasa_agent):
    """A long message is parsed in bot.speedups.NLU_THREAD; the loop keeps running other coroutines
    meanwhile (with the NLU on the loop, the ticker below would not run once during the parse)."""
    import asyncio
    import threading

    processor = rasa_agent.processor
    seen_threads = []
    graph = processor._parse_message_with_graph

    def spy(*args, **kwargs):
        seen_threads.append(threading.current_thread().name)
        return graph(*args, **kwargs)

    async def body():
        ticks = 0
        done = asyncio.Event()

        async def ticker():
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        ticks = 0
        parsed = await rasa_agent.parse_message("我在宁波工作了两年，孩子三岁，" * 400)
        done.set()
        await task
        return parsed, ticks

    processor._parse_message_with_graph = spy  # this instance only
    try:
        parsed, ticks = asyncio.run(body())
    finally:
        del processor._parse_message_with_graph
    assert seen_threads and all(name.startswith("nlu") for name in seen_threads)
    assert parsed["intent"]["name"] and ticks > 10
    short = asyncio.run(rasa_agent.parse_message("孩子能在宁波交医保吗"))
    assert short["intent"]["name"] == "ask_child_medical_insurance"


def test_sqlite_connections_use_wal_and_others_are_left_alone(tmp_path):
    import sqlalchemy as sa

    speedups.install()
    with sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}").connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    with sa.create_engine("sqlite://").connect() as connection:  # in memory: nothing to journal
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "memory"

    class OtherDatabase:  # PostgreSQL's connection, say: never given a PRAGMA
        def cursor(self):
            raise AssertionError("a PRAGMA sent to a database that is not SQLite")

    speedups._sqlite_wal(OtherDatabase(), None)


def test_a_sqlite_tracker_store_keeps_its_connections_and_postgresql_keeps_rasas_settings(tmp_path):
    import rasa.core.tracker_store as stores
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from sqlalchemy.pool import NullPool, QueuePool

    speedups.install()
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert isinstance(store.engine.pool, QueuePool)
    rasas = stores.create_engine_kwargs.__wrapped__
    postgres = "postgresql://postgres@127.0.0.1:5432/ysly"
    assert stores.create_engine_kwargs(postgres) == rasas(postgres) and rasas(postgres)["pool_size"] > 0
    assert stores.create_engine_kwargs("sqlite://") == rasas("sqlite://") == {}  # in memory: Rasa's pool
    import sqlalchemy as sa

    assert isinstance(sa.create_engine("sqlite:///" + str(tmp_path / "x.db")).pool, NullPool)  # others: as they are


KILLED_WRITER = """
import sys, time
from bot import speedups
speedups.install()
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
import asyncio
store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=sys.argv[1])
tracker = DialogueStateTracker.from_events("worker-1", [ActionExecuted("action_listen")])
for turn in range(20):
    tracker.update(UserUttered(f"第{turn}句"))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
print("saved", flush=True)
time.sleep(600)
"""


def test_what_the_tracker_store_committed_survives_a_killed_process(tmp_path):
    """WAL with synchronous=NORMAL: nothing committed is lost when the Rasa process is SIGKILLed."""
    import asyncio
    import signal
    import subprocess
    import sys

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    db = tmp_path / "tracker.db"
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(db)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        assert writer.stdout.readline().strip() == "saved"
        assert (tmp_path / "tracker.db-wal").exists()  # the turns are in the log, not yet in the file
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    tracker = asyncio.run(SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db)).retrieve("worker-1"))
    said = [event.text for event in tracker.events if getattr(event, "text", None)]
    assert said == [f"第{turn}句" for turn in range(20)]


def _story_steps(agent, resource, shift=0):
    """(tracker before the action, action) for every bot action of the stories in `resource`, as
    `rasa test core` walks them; with `shift`, every user intent is replaced by the intent `shift` places
    further in the domain's list, giving histories no story or rule has seen (where TED decides)."""
    from rasa.core.test import _create_data_generator
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    intents = agent.domain.intents
    for story in _create_data_generator(str(resource), agent).generate_story_trackers():
        partial = DialogueStateTracker(story.sender_id, agent.domain.slots)
        for event in story.applied_events():
            if isinstance(event, ActionExecuted) and partial.events:
                yield partial.copy(), event.action_name or event.action_text
            if shift and isinstance(event, UserUttered) and event.intent_name in intents:
                other = intents[(intents.index(event.intent_name) + shift) % len(intents)]
                event = UserUttered(event.text, {"name": other, "confidence": 1.0}, event.entities)
            partial.update(event)


def _said(prediction):
    events = [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in prediction.events]
    return (prediction.policy_name, prediction.probabilities, events,
            prediction.is_end_to_end_prediction, prediction.is_no_user_prediction, prediction.hide_rule_turn,
            prediction.action_metadata)


def test_ted_skipped_when_a_rule_or_memory_decided_changes_no_prediction(rasa_agent, monkeypatch):
    """Every action step of the dialogue test stories and the training stories and rules, as written and with
    the user's intents shifted (unseen histories), is predicted twice:
    with TED skipped where bot.speedups finds another policy has decided, and with TED always run. The
    ensemble's prediction (policy, probabilities, events, flags) is the same at every step, and TED's network
    is skipped at most of them (else the speed-up is gone: e.g. Rasa ran TED before the other policies)."""
    from rasa.core.policies.ted_policy import TEDPolicy

    speedups.install()
    processor = rasa_agent.processor
    network = TEDPolicy.predict_action_probabilities.__wrapped__
    ran = []

    def counting(self, *args, **kwargs):
        ran.append(1)
        return network(self, *args, **kwargs)

    monkeypatch.setattr(speedups.ted_prediction, "__wrapped__", counting)
    steps = [step for resource in (ROOT / "tests/dialogue", ROOT / "bot/stories", ROOT / "bot/rules")
             for shift in (0, 1, 7) for step in _story_steps(rasa_agent, resource, shift)]
    fast = [_said(processor._predict_next_with_tracker(tracker.copy())) for tracker, _ in steps]
    skipped = len(steps) - len(ran)
    with monkeypatch.context() as always:
        always.setattr(speedups, "decided", lambda *args: False)
        rasa = [_said(processor._predict_next_with_tracker(tracker.copy())) for tracker, _ in steps]
    assert len(steps) > 1500
    assert fast == rasa
    assert len(steps) / 3 < skipped < len(steps) - 200, (skipped, len(steps))  # both paths taken, often
    print(f"TED's network skipped at {skipped} of {len(steps)} predictions")


@pytest.mark.parametrize("value, names", [
    (None, set(speedups.SPEEDUPS)), ("1", set(speedups.SPEEDUPS)), ("0", set()),
    ("ted_skip", {"ted_skip"}), (" validator, sqlite ,", {"validator", "sqlite"}),
])
def test_ysly_speedups_chooses_all_none_or_the_named_ones(monkeypatch, value, names):
    if value is None:
        monkeypatch.delenv("YSLY_SPEEDUPS", raising=False)
    else:
        monkeypatch.setenv("YSLY_SPEEDUPS", value)
    assert speedups.chosen() == names


def test_an_unknown_speedup_name_is_an_error_naming_the_known_ones(monkeypatch):
    monkeypatch.setenv("YSLY_SPEEDUPS", "validator,tedskip")
    with pytest.raises(ValueError, match="tedskip.*known: validator, loading"):
        speedups.chosen()


def _conversation(sender):
    """Events of two sessions with user messages (intents, entities), slots, bot replies and actions."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

    events = []
    for session, start in enumerate((1_000.0, 2_000.0)):
        events += [ActionExecuted("action_session_start", timestamp=start), SessionStarted(timestamp=start + 0.1),
                   ActionExecuted("action_listen", timestamp=start + 0.2)]
        for turn in range(3):
            t = start + 1 + turn
            events += [UserUttered(f"第{session}段第{turn}句 孩子三岁", {"name": "inform", "confidence": 0.9},
                                   [{"entity": "age", "value": 3, "start": 0, "end": 2}], timestamp=t,
                                   message_id=f"m{session}-{turn}"),
                       SlotSet("child_age", 3, timestamp=t + 0.1), ActionExecuted("eligibility_form", timestamp=t + 0.2),
                       BotUttered("您的孩子在宁波上学吗？", {"buttons": [{"title": "是", "payload": "/affirm"}]},
                                  timestamp=t + 0.3),
                       ActionExecuted("action_listen", timestamp=t + 0.4)]
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(sender, events)


def _stores(url_or_path, postgres):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    domain = Domain.from_dict({"slots": {"child_age": {"type": "any", "mappings": [{"type": "custom"}]}}})
    if postgres:
        return SQLTrackerStore(domain, dialect="postgresql", host="127.0.0.1", port=5432, db=url_or_path,
                               username="postgres", password="")
    return SQLTrackerStore(domain, dialect="sqlite", db=url_or_path)


def _rows(store):
    import sqlalchemy as sa

    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id"))]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_tracker_store_statements_write_and_read_what_rasa_writes_and_reads(tmp_path, database):
    """Two conversations saved turn by turn, one store by Rasa's methods and one by bot.speedups': the same
    rows; each store read back by either method (latest session, all sessions, unknown sender): the same."""
    import asyncio
    import uuid

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import EventVerbosity

    speedups.install()
    names = [f"ysly_speedups_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    postgres = database == "postgresql"
    if postgres:
        from tests.scale.servers import create_database, drop_database

        for name in names:
            create_database(name)
    theirs, ours = (_stores(name if postgres else str(tmp_path / f"{name}.db"), postgres) for name in names)
    assert speedups._fixed_statements(ours)
    rasa = {"save": SQLTrackerStore.save.__wrapped__, "_retrieve": SQLTrackerStore._retrieve.__wrapped__}
    fast = {"save": speedups.sql_save, "_retrieve": speedups.sql_retrieve}
    try:
        async def play():
            for sender in ("worker-1", "来电-2"):
                whole = _conversation(sender)
                from rasa.shared.core.trackers import DialogueStateTracker

                partial = DialogueStateTracker(sender, theirs.domain.slots)
                for event in whole.events:  # saved after every event: each save adds what is new
                    partial.update(event)
                    await rasa["save"](theirs, partial)
                    await fast["save"](ours, partial)
            said = {}
            for store_name, store in (("theirs", theirs), ("ours", ours)):
                for how, methods in (("rasa", rasa), ("fast", fast)):
                    for sender in ("worker-1", "来电-2", "nobody"):
                        for everything in (False, True):
                            tracker = await methods["_retrieve"](store, sender, everything)
                            said[store_name, how, sender, everything] = (
                                tracker and tracker.current_state(EventVerbosity.ALL))
            return said

        said = asyncio.run(play())
        assert _rows(theirs) == _rows(ours) and len(_rows(ours)) > 2 * 21  # (Rasa saves a tracker holding
        # two sessions' events again after the second starts: only the latest session's are counted)
        latest, everything = (said["theirs", "rasa", "worker-1", whole] for whole in (False, True))
        assert 0 < len(latest["events"]) < len(everything["events"])
        assert latest["events"][0]["timestamp"] >= 2000.0 > everything["events"][0]["timestamp"]
        assert said["ours", "fast", "nobody", False] is None
        for key, value in said.items():
            assert value == said[("theirs", "rasa") + key[2:]], key
    finally:
        for store in (theirs, ours):
            store.engine.dispose()
        if postgres:
            for name in names:
                drop_database(name)
