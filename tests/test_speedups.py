"""bot.speedups changes how often Rasa does its work, never what it decides."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import speedups

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
