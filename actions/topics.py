"""Topic intents → eligibility programmes (the registry, eligibility/programmes.yaml) or guidance clauses
(topics.yml); the months fact slots (the fact schema)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

import eligibility
import facts
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
    """The programmes a worker asks about (a topic intent, asker worker; an enterprise's awards are not)."""
    return [pid for ids in eligibility.topics("program", asker="worker").values() for pid in ids]


def topic_of(program: str) -> str | None:
    """The topic intent that asks about a programme."""
    return next((topic for topic, ids in eligibility.topics().items() if program in ids), None)


ORGANISATION = "ask_organisation_award"  # an enterprise's own awards (measures 五, 六): topics.yml organisation


def _organisation() -> dict:
    return _topics()["organisation"]


@lru_cache(maxsize=1)
def _cue_words() -> list[tuple[str, tuple[str, ...]]]:
    """(normalised cue word, the programmes it names), longest first."""
    named: dict[str, list[str]] = {}
    for pid, words in _organisation()["cues"].items():
        for word in words:
            named.setdefault(facts.normalize_text(word), []).append(pid)
    return sorted(((w, tuple(p)) for w, p in named.items()), key=lambda item: -len(item[0]))


def awards_named(text: str | None) -> list[str]:
    """The organisation awards a message names by their words (cues), in registry order; a word found
    inside a longer one already found counts once (技师学院 names the school, not 技师)."""
    t = facts.normalize_text(text or "")
    taken = [False] * len(t)
    found: set[str] = set()
    for word, pids in _cue_words():
        start = t.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(word)
                found.update(pids)
            start = t.find(word, end)
    return [pid for pid in programs_for(ORGANISATION) if pid in found]


def enterprise_asks(text: str | None, slots: dict) -> bool:
    """The enterprise asks (its HR person, its boss, staff for it): the message says so, or the enterprise's
    own figures are known (its headcount)."""
    t = facts.normalize_text(text or "")
    org = _organisation()
    return any(w in t for w in org["asker_words"]) or any(
        slots.get(slot_name(path)) is not None for path in org["asker_facts"])


def programs_for_message(intent: str | None, text: str | None, slots: dict) -> list[str]:
    """The programmes a topic question means: for an enterprise's awards the ones it names (none named: the
    award with dated rounds if a year is asked about, the ones already being answered for a follow-up in
    that topic, else all of them — answered with the list);
    a worker's topic asked for an enterprise (我们厂的高级工…) its enterprise award; else the topic's."""
    programs = programs_for(intent)
    if intent == ORGANISATION:
        named = awards_named(text)
        if named:
            return named
        if round_year(intent, text) is not None:
            return [_organisation()["dated_rounds"]]   # 2022年那一轮: only measure05's award has rounds
        current = [p for p in slots.get("programs") or [] if p in programs]
        if slots.get("topic") == ORGANISATION and current:
            return current
        return programs
    enterprise = _organisation()["enterprise_of"].get(intent or "")
    if enterprise and enterprise_asks(text, slots):
        return [enterprise]
    return programs


def is_award_list(topic: str | None, programs: list[str] | None) -> bool:
    """An enterprise's awards asked without naming one: answered with the list of all of them."""
    return topic == ORGANISATION and len(programs or []) > 1 and list(programs) == programs_for(ORGANISATION)


def round_year(intent: str | None, text: str | None) -> int | None:
    """The year a question about a dated award names (2022年那一轮 → 2022; the last one if several)."""
    if intent not in _topics()["dated_round_topics"]:
        return None
    years = facts.years_named(text or "")
    return years[-1] if years else None
