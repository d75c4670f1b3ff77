"""Rasa 3.6 costs removed from every turn, without changing what Rasa does (issue 16, CPU per turn).

``bot/nlu`` installs these in every process that loads the model (Rasa imports the pipeline's classes before it
loads a component), and ``python -m bot.auth run`` before Rasa starts. Each one does Rasa's work once instead
of on every call (the SQLite one also trades the last turns before a power cut for speed, see below); each has
a test that the result is Rasa's (tests/test_speedups.py) and a note saying when it can go.

- **Action server responses.** ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` on
  every custom action's response. That function checks the schema itself against the JSON Schema
  meta-schema and builds a new validator each time; profiled under ``bench.load`` this was 15 % of the
  Rasa process's CPU (py-spy, 10 concurrent conversations). Here the schema is checked and its validator
  built once; every response is still validated against it, and an invalid one raises the same
  ``ValidationError`` with the same message Rasa adds. Can go once Rasa caches its validator.
- **Loading DIET and TED.** ``RasaModel.load`` builds a model's variables by training it for one step on
  one example (``model.fit``: the whole training graph, gradients and Adam's slots are traced and kept),
  then overwrites them with the saved weights. That was 48 s of a 58 s cold start and ~500 MB of the
  server's memory. Here the saved weights are read first, and TensorFlow gives each variable its saved
  value when the prediction step creates it (deferred restoration, the documented behaviour of
  ``load_weights`` on a model not yet built), so only the prediction graph is traced. Every variable the
  prediction uses must have been restored (``assert_existing_objects_matched``), else the model is loaded
  Rasa's way. Fine-tuning (``rasa train --finetune``) keeps Rasa's way: it needs the training graph. The
  optimizer's saved slots are not needed to predict (``expect_partial``). Can go once Rasa builds models
  for inference without training them.
- **The NLU off the event loop.** ``MessageProcessor.parse_message`` runs the NLU graph (jieba, the
  featurizers, the sentence embedder, DIET, the linear ensemble) on Sanic's event loop, so every other
  conversation's turn waits for it, and one core idles while TensorFlow and numpy, which release the GIL,
  compute. Here the graph runs in one thread of its own (``NLU_THREAD``: one thread, so the components are
  never used by two threads at once); the loop serves other conversations meanwhile. Everything after the
  graph (the retrieval intent, the debug log, the unseen-features check) is Rasa's, in Rasa's order.
  Can go once Rasa runs the graph off the loop.
- **The embedded tracker store's connections and commits.** For SQLite, Rasa's SQL tracker store opens a
  new connection for every query (SQLAlchemy's ``NullPool``: the retrieve, the save and its count, several a
  turn) and SQLite's default journal syncs the disk twice on every commit, all on the event loop; profiled,
  this was 13-22 % of the loop's time and grew with the file. Here a SQLite file is opened once per pool
  slot (``QueuePool``, the connections shared between the loop and the health check's thread, never by two
  at once) in WAL mode with ``synchronous=NORMAL`` (SQLite's advice for WAL): a commit appends to the log
  without waiting for the disk, and what is committed survives the process being killed (only an
  operating-system crash or power cut may lose the last turns). PostgreSQL (the scale profile) is not
  touched.

- **TED when a rule or a memorised story has decided.** Rasa runs every policy for every action it predicts
  (2-3 a turn) and keeps the best. When the rule policy or memoization predicts an action with confidence 1.0,
  or a prediction that overrules the rest (a loop's happy path, an end-to-end one), TED cannot win: its
  confidences are a softmax, at most 1.0, and its priority is the lowest, so the ensemble keeps the other
  (``DefaultPolicyPredictionEnsemble._pick_best_policy``: ties go to the higher priority) and takes nothing of
  TED's but its events, which are none. TED's network was ~25 % of the event loop's time. Here the rule and
  memoization predictions for the tracker being predicted are noted as they are made, and when one of them has
  decided, TED returns Rasa's own "no prediction" (zeros) without running its network: the ensemble's choice,
  probabilities and events are the same. TED runs as before when it was trained on text (an end-to-end
  prediction could overrule), when the deciding action was just rejected (the ensemble zeroes it), and when it
  runs before the other policies. Can go once Rasa's ensemble stops running policies that cannot win.
- **The SQL tracker store's statements.** Rasa reads a conversation (``_retrieve``) and counts its stored events
  before saving the new ones (``_additional_events``) with ORM queries that SQLAlchemy rebuilds, keys for its
  statement cache and turns into ORM objects every time, and inserts each new event through the ORM's unit of
  work; profiled, 17 % of the event loop (a third of it the cache keys alone). Here the same SQL (the events
  of the latest session, ordered by id; their count; one INSERT for the new events) is sent as three fixed
  statements, for SQLite and PostgreSQL (other databases keep Rasa's way). The rows written, the tracker read
  back and the logging are Rasa's (tested against Rasa's own methods on both databases).

``YSLY_SPEEDUPS=0`` leaves Rasa as it ships (for a comparison, or if a Rasa upgrade breaks one of these);
``YSLY_SPEEDUPS=validator,loading`` installs only the ones named (``SPEEDUPS``), to measure one against the rest.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

INSTALLED = "ysly_speedup"
logger = logging.getLogger(__name__)
NLU_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu")  # no thread until first used


@functools.lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # what jsonschema.validate does on every call, done once
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the validator built once (same errors, same text)."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_action_response_validator().iter_errors(result))  # jsonschema.validate's own test
    if error is None:
        return True
    error.message += (  # Rasa's own words, rasa/core/actions/action.py
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def _rasa_load(cls: type, *args: Any, **kwargs: Any) -> Any:
    """``RasaModel.load`` as Rasa ships it."""
    from rasa.utils.tensorflow.models import RasaModel

    original = RasaModel.__dict__["load"]
    return getattr(original.__func__, "__wrapped__", original.__func__)(cls, *args, **kwargs)


def load_for_prediction(cls: type, model_file_name: str, model_data_example: Any,
                        predict_data_example: Any = None, finetune_mode: bool = False,
                        *args: Any, **kwargs: Any) -> Any:
    """``RasaModel.load`` (same arguments) building only what prediction needs."""
    if finetune_mode or predict_data_example is None:
        return _rasa_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                          *args, **kwargs)
    import tensorflow as tf

    config = kwargs.get("config", {})
    model = cls(*args, **kwargs)
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get("learning_rate", 0.001)),
                  run_eagerly=config.get("run_eagerly"))
    status = model.load_weights(model_file_name)  # restored as the variables are created, below
    model.run_inference(predict_data_example)  # creates the prediction's variables and traces it once
    try:
        status.assert_existing_objects_matched()
    except AssertionError as error:
        logger.warning("%s: not every variable came from %s (%s); loading it as Rasa does",
                       cls.__name__, model_file_name, error)
        return _rasa_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                          *args, **kwargs)
    status.expect_partial()  # the optimizer's slots: training only
    return model


async def parse_message(self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True) -> Any:
    """``MessageProcessor.parse_message`` with the NLU graph run in ``NLU_THREAD``."""
    if self.http_interpreter:  # an NLU server elsewhere: Rasa's own path, already asynchronous
        return await parse_message.__wrapped__(self, message, tracker, only_output_properties)
    from rasa.core.processor import structlogger
    from rasa.shared.core.trackers import DialogueStateTracker

    if tracker is None:
        tracker = DialogueStateTracker.from_events(message.sender_id, [])
    parse_data = await asyncio.get_running_loop().run_in_executor(
        NLU_THREAD, self._parse_message_with_graph, message, tracker, only_output_properties)
    # the rest as rasa/core/processor.py's parse_message does it
    self._update_full_retrieval_intent(parse_data)
    structlogger.debug("processor.message.parse", parse_data_text=copy.deepcopy(parse_data["text"]),
                       parse_data_intent=parse_data["intent"],
                       parse_data_entities=copy.deepcopy(parse_data["entities"]))
    self._check_for_unseen_features(parse_data)
    return parse_data


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    """SQLAlchemy ``connect`` listener: WAL and ``synchronous=NORMAL`` on SQLite connections only."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection) and not _in_memory(dbapi_connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _in_memory(connection: Any) -> bool:
    return not any(row[2] for row in connection.execute("PRAGMA database_list"))  # no file: ":memory:"


SQLITE_POOL = {"pool_size": 5, "max_overflow": 5}


def engine_kwargs(url: Any) -> dict[str, Any]:
    """``rasa.core.tracker_store.create_engine_kwargs``, with a pool of connections for a SQLite file."""
    import sqlalchemy as sa
    from sqlalchemy.pool import QueuePool

    kwargs = engine_kwargs.__wrapped__(url)
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        kwargs = {**kwargs, **SQLITE_POOL, "poolclass": QueuePool,
                  "connect_args": {**kwargs.get("connect_args", {}), "check_same_thread": False}}
    return kwargs



class _Noted(threading.local):
    """The rule and memoization predictions made for the tracker being predicted in this thread (a graph
    runs its policies one after another in the thread that predicts)."""

    def __init__(self) -> None:
        self.tracker: Any = None  # a weak reference: a noted tracker is never kept alive
        self.n_events = -1
        self.predictions: list[Any] = []

    def of(self, tracker: Any) -> list[Any]:
        """The predictions noted for this tracker as it is now (another tracker, or new events: none yet)."""
        if self.tracker is None or self.tracker() is not tracker or self.n_events != len(tracker.events):
            self.tracker, self.n_events, self.predictions = weakref.ref(tracker), len(tracker.events), []
        return self.predictions


NOTED = _Noted()


def noting(predict: Any) -> Any:
    """A policy's ``predict_action_probabilities`` that notes each prediction it makes."""

    def predict_action_probabilities(self: Any, tracker: Any, domain: Any, *args: Any, **kwargs: Any) -> Any:
        prediction = predict(self, tracker, domain, *args, **kwargs)
        NOTED.of(tracker).append(prediction)
        return prediction

    return predict_action_probabilities


def _rejected_index(tracker: Any, domain: Any) -> int | None:
    """The action the ensemble will zero in every prediction (as ``_best_policy_prediction`` finds it)."""
    from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected

    last = next((event for event in reversed(tracker.events)
                 if isinstance(event, (ActionExecutionRejected, ActionExecuted))), None)
    if isinstance(last, ActionExecutionRejected):
        return domain.index_for_action(last.action_name)
    return None


def decided(predictions: list[Any], tracker: Any, domain: Any, priority: int) -> bool:
    """Whether one of these predictions wins over any non-end-to-end prediction of this priority."""
    rejected = _rejected_index(tracker, domain)
    for prediction in predictions:
        if prediction.is_no_user_prediction or prediction.is_end_to_end_prediction:
            return True  # the ensemble only compares predictions with these flags then: TED has neither
        best = max((p for index, p in enumerate(prediction.probabilities) if index != rejected), default=0.0)
        if best >= 1.0 and prediction.policy_priority > priority:
            return True
    return False


def ted_prediction(self: Any, tracker: Any, domain: Any, *args: Any, **kwargs: Any) -> Any:
    """``TEDPolicy.predict_action_probabilities``, without the network when another policy has decided."""
    from rasa.shared.nlu.constants import TEXT

    if TEXT not in (self.fake_features or {}) and decided(NOTED.of(tracker), tracker, domain, self.priority):
        return self._prediction(self._default_predictions(domain))  # Rasa's own "no prediction"
    return ted_prediction.__wrapped__(self, tracker, domain, *args, **kwargs)



# The events of a conversation's latest session, as rasa/core/tracker_store.py's SQLTrackerStore._event_query
# selects them (its SQL, with the subquery it builds for the latest SessionStarted event).
_LATEST_SESSION = (
    "FROM events, (SELECT max(events.timestamp) AS session_start FROM events "
    "WHERE events.sender_id = :sender_id AND events.type_name = :session_started) AS latest "
    "WHERE events.sender_id = :sender_id "
    "AND (events.timestamp >= latest.session_start OR latest.session_start IS NULL)")
SQL_EVENTS = {
    "latest": f"SELECT events.data {_LATEST_SESSION} ORDER BY events.id",
    "all": "SELECT events.data FROM events WHERE events.sender_id = :sender_id ORDER BY events.id",
    "count": f"SELECT count(*) {_LATEST_SESSION}",
    "insert": "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
              "VALUES (:sender_id, :type_name, :timestamp, :intent_name, :action_name, :data)",
}
SQL_DIALECTS = ("sqlite", "postgresql")


@functools.cache
def _sql(name: str) -> Any:
    import sqlalchemy as sa

    return sa.text(SQL_EVENTS[name])


def _fixed_statements(store: Any) -> bool:
    """Whether this store's events table is Rasa's ``events`` on a database the statements are written for."""
    return (store.engine.dialect.name in SQL_DIALECTS and store.SQLEvent.__tablename__ == "events"
            and store.SQLEvent.__table__.schema is None)


def _session_params(sender_id: str) -> dict[str, str]:
    from rasa.shared.core.events import SessionStarted

    return {"sender_id": sender_id, "session_started": SessionStarted.type_name}


async def sql_retrieve(self: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
    """``SQLTrackerStore._retrieve`` with a fixed statement."""
    if not _fixed_statements(self):
        return await sql_retrieve.__wrapped__(self, sender_id, fetch_events_from_all_sessions)
    import json

    from rasa.core.tracker_store import logger as rasa_logger
    from rasa.shared.core.trackers import DialogueStateTracker

    with self.session_scope() as session:
        rows = session.execute(_sql("all" if fetch_events_from_all_sessions else "latest"),
                               _session_params(sender_id)).scalars().all()
    events = [json.loads(data) for data in rows]
    if self.domain and len(events) > 0:  # the rest as Rasa's
        rasa_logger.debug(f"Recreating tracker from sender id '{sender_id}'")
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
    rasa_logger.debug(f"Can't retrieve tracker matching sender id '{sender_id}' from SQL storage. "
                      f"Returning `None` instead.")
    return None


async def sql_save(self: Any, tracker: Any) -> None:
    """``SQLTrackerStore.save`` with fixed statements: the same count of stored events, the same rows."""
    if not _fixed_statements(self):
        return await sql_save.__wrapped__(self, tracker)
    import itertools
    import json

    from rasa.core.tracker_store import logger as rasa_logger
    from rasa.shared.nlu.constants import INTENT_NAME_KEY

    await self.stream_events(tracker)
    with self.session_scope() as session:
        stored = session.execute(_sql("count"), _session_params(tracker.sender_id)).scalar()
        rows = []
        for event in itertools.islice(tracker.events, stored, len(tracker.events)):
            data = event.as_dict()
            rows.append({"sender_id": tracker.sender_id, "type_name": event.type_name,
                         "timestamp": data.get("timestamp"),
                         "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                         "action_name": data.get("name"), "data": json.dumps(data)})
        if rows:
            session.execute(_sql("insert"), rows)
        session.commit()
    rasa_logger.debug(f"Tracker with sender_id '{tracker.sender_id}' stored to database")


def _replace(owner: Any, name: str, new: Any, wrap: Any = None) -> None:
    """``owner.name = new`` once, ``new.__wrapped__`` being what it replaces."""
    old = owner.__dict__[name]
    old_function = getattr(old, "__func__", old)
    if getattr(old_function, INSTALLED, False):
        return
    functools.update_wrapper(new, old_function)
    setattr(new, INSTALLED, True)
    setattr(owner, name, wrap(new) if wrap else new)


SPEEDUPS = ("validator", "loading", "nlu_thread", "ted_skip", "sqlite", "sql_statements")


def chosen() -> set[str]:
    """The speed-ups ``YSLY_SPEEDUPS`` asks for: all (unset or 1), none (0), or a comma-separated list of
    names from ``SPEEDUPS`` (to measure one against the others); an unknown name is an error."""
    value = os.environ.get("YSLY_SPEEDUPS", "1").strip()
    if value in ("", "1"):
        return set(SPEEDUPS)
    if value == "0":
        return set()
    names = {name.strip() for name in value.split(",") if name.strip()}
    if unknown := names - set(SPEEDUPS):
        raise ValueError(f"YSLY_SPEEDUPS: unknown speed-up(s) {sorted(unknown)}; known: {', '.join(SPEEDUPS)}")
    return names


def install() -> None:
    """Install the chosen speed-ups (idempotent); nothing when ``YSLY_SPEEDUPS=0``."""
    names = chosen()
    if "validator" in names:
        from rasa.core.actions.action import RemoteAction

        _replace(RemoteAction, "_validate_action_result", _validate_action_result)
    if "loading" in names:
        from rasa.utils.tensorflow.models import RasaModel

        _replace(RasaModel, "load", load_for_prediction, wrap=classmethod)
    if "nlu_thread" in names:
        from rasa.core.processor import MessageProcessor

        _replace(MessageProcessor, "parse_message", parse_message)
    if "ted_skip" in names:
        from rasa.core.policies.memoization import MemoizationPolicy
        from rasa.core.policies.rule_policy import RulePolicy
        from rasa.core.policies.ted_policy import TEDPolicy

        for policy in (RulePolicy, MemoizationPolicy):
            _replace(policy, "predict_action_probabilities",
                     noting(policy.__dict__["predict_action_probabilities"]))
        _replace(TEDPolicy, "predict_action_probabilities", ted_prediction)
    if "sqlite" in names:
        import rasa.core.tracker_store
        import sqlalchemy as sa

        _replace(rasa.core.tracker_store, "create_engine_kwargs", engine_kwargs)  # a module's function
        if not sa.event.contains(sa.engine.Engine, "connect", _sqlite_wal):
            sa.event.listen(sa.engine.Engine, "connect", _sqlite_wal)
    if "sql_statements" in names:
        from rasa.core.tracker_store import SQLTrackerStore

        _replace(SQLTrackerStore, "_retrieve", sql_retrieve)
        _replace(SQLTrackerStore, "save", sql_save)
