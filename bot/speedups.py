"""Rasa 3.6 costs removed from every turn, without changing what Rasa does (issue 16, CPU per turn).

``python -m bot.auth run`` installs these before Rasa starts. Each one keeps Rasa's behaviour and only
does the same work once instead of on every call; each has a test that the behaviour is the same
(tests/test_speedups.py) and a note saying when it can go.

- **Action server responses.** ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` on
  every custom action's response. That function checks the schema itself against the JSON Schema
  meta-schema and builds a new validator each time; profiled under ``bench.load`` this was 15 % of the
  Rasa process's CPU (py-spy, 10 concurrent conversations). Here the schema is checked and its validator
  built once; every response is still validated against it, and an invalid one raises the same
  ``ValidationError`` with the same message Rasa adds. Can go once Rasa caches its validator.
"""

from __future__ import annotations

import functools
from typing import Any

INSTALLED = "ysly_speedup"


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


def install() -> None:
    """Install every speed-up (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    original = RemoteAction._validate_action_result
    if getattr(original, INSTALLED, False):
        return
    functools.update_wrapper(_validate_action_result, original)
    setattr(_validate_action_result, INSTALLED, True)
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
