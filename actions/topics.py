"""Topic intents → eligibility programmes (the registry, eligibility/programmes.yaml) or guidance clauses
(topics.yml); the months fact slots (the fact schema)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

import eligibility
from actions.slots import WORK_MONTHS, slot_name
from eligibility import schema

TOPICS_FILE = Path(__file__).with_name("topics.yml")


@lru_cache(maxsize=1)
def _topics() -> dict:
    return yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, list[str]], dict[str, str]]:
    """(program topic -> its programmes, guidance topic -> its guidance programme), from the registry."""
    programs = {topic: list(ids) for topic, ids in eligibility.topics("program").items()}
    guidance = {topic: ids[0] for topic, ids in eligibility.topics("guidance").items()}
    return programs, guidance


def guidance_topics() -> list[str]:
    """The intents answered with a clause (topics.yml), in the file's order."""
    return list(_topics()["guidance"])


def programs_for(intent: str | None) -> list[str]:
    return list(_registry()[0].get(intent or "", []))


def guidance_clauses(intent: str | None) -> list[str]:
    return list(_topics()["guidance"].get(intent or "", []))


def guidance_program(intent: str | None) -> str | None:
    """The eligibility guidance topic (summary, notes, next steps) for a guidance intent, if any."""
    return _registry()[1].get(intent or "")


def is_program_topic(intent: str | None) -> bool:
    return bool(intent) and intent in _registry()[0]


def is_guidance_topic(intent: str | None) -> bool:
    return bool(intent) and intent in _topics()["guidance"]


def topic_intents() -> set[str]:
    return set(_registry()[0]) | set(guidance_topics())


def months_slots() -> list[str]:
    """The slots a bare duration (“不对，是8个月”) can fill: the months facts, and how long they worked here."""
    return [slot_name(p) for p in schema.paths_of_kind("months")] + [WORK_MONTHS]


def default_department() -> str:
    """Who to ask when a clause names no department (e.g. rows of the Beilun targets table)."""
    return _topics()["default_department"]


@lru_cache(maxsize=1)
def _topic_of_clause() -> dict[str, str]:
    """Clause id → the program topic whose eligibility conditions cite it (first topic wins)."""
    from eligibility import Profile, evaluate

    found: dict[str, str] = {}
    for intent, programs in _registry()[0].items():
        for result in evaluate(Profile(), programs=programs):
            for reason in result.reasons:
                if reason.clause_id:
                    found.setdefault(reason.clause_id, intent)
    return found


def topic_of_clause(clause_id: str | None) -> str | None:
    """The program topic a clause decides (ningbo_leye/measure03/1 → ask_child_medical_insurance), if any."""
    return _topic_of_clause().get(clause_id or "")


OVERVIEW = "ask_overview"  # 有哪些政策我能享受: every worker programme at once (actions/overview.py)


def worker_programmes() -> list[str]:
    """The programmes a worker asks about (those with a topic intent; the enterprise awards have none)."""
    return [pid for intent in _registry()[0] for pid in programs_for(intent)]
