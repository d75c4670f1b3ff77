"""The Rasa side agrees with the fact schema and the programme registry: the generated files are current, every
fact has its slot and questions, no hand-written slot or question drifts from the schema, the form's validator
accepts exactly what the Profile accepts, and the yes/no and months lists are the schema's."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions import parsing
from actions.forms import ValidateEligibilityForm
from actions.slots import (
    CONFIRM_WORK_MONTHS,
    MONTHS_SCHEME,
    SLOT_OF_PATH,
    UNCLEAR_MONTHS,
    WORK_MONTHS,
    YES_NO_SLOTS,
)
from actions.topics import months_slots, programs_for
from bot import generate
from eligibility import PROGRAM_IDS, Profile, ProfileError, question, schema, topics
from tests.actions.test_dialogue_actions import DOMAIN, tracker

ROOT = Path(__file__).resolve().parents[2]
# The dialogue's own slots that action_extract_facts fills besides the facts of the schema.
DIALOGUE_FACT_SLOTS = {WORK_MONTHS, "last_months_slot", "vague_fields", UNCLEAR_MONTHS}
# generic: the wording for a fact without its own reask/where text.
DIALOGUE_QUESTIONS = {CONFIRM_WORK_MONTHS, MONTHS_SCHEME, "generic"}


@pytest.mark.parametrize("path", list(generate.outputs()), ids=lambda p: p.name)
def test_generated_file_is_current(path):
    assert path.read_text(encoding="utf-8") == generate.outputs()[path], \
        f"{path.relative_to(ROOT)} is stale: run python -m bot.generate"


def test_every_fact_has_its_slot_filled_by_the_fact_reader():
    for path in schema.field_paths():
        slot = DOMAIN["slots"].get(SLOT_OF_PATH[path])
        assert slot is not None, path
        assert slot["mappings"] == [{"type": "custom", "action": "action_extract_facts"}], path


def test_no_slot_filled_by_the_fact_reader_is_missing_from_the_schema():
    filled = {name for name, s in DOMAIN["slots"].items()
              if any(m.get("action") == "action_extract_facts" for m in s.get("mappings") or [])}
    assert filled - set(SLOT_OF_PATH.values()) == DIALOGUE_FACT_SLOTS


def test_each_question_has_one_wording_the_schemas():
    responses = DOMAIN["responses"]
    for path in schema.field_paths():
        slot = SLOT_OF_PATH[path]
        plain = [v["text"] for v in responses[f"utter_ask_{slot}"] if "condition" not in v]
        assert plain == [question(path)["prompt"]], path
    form_questions = {}
    for name in ("questions.yml", "facts.yml"):  # the files of the form's questions
        form_questions.update(yaml.safe_load((ROOT / "bot/domain" / name).read_text(encoding="utf-8"))["responses"])
    for name in form_questions:
        for kind in ("ask", "reask", "where"):
            prefix = f"utter_{kind}_"
            if name.startswith(prefix):
                slot = name[len(prefix):]
                assert slot in SLOT_OF_PATH.values() or slot in DIALOGUE_QUESTIONS, \
                    f"{name}: no fact of the schema has the slot {slot}"


def test_a_personal_question_is_worded_for_the_other_person_whose_answers_they_are():
    """After 那我老婆呢 the form asks 您爱人现在是在宁波工作吗 (slot person = spouse); a household question (the
    home, the children) is the same for everyone; the variation keeps the buttons."""
    responses = DOMAIN["responses"]

    def worded(slot, person):
        chosen = [v for v in responses[f"utter_ask_{slot}"]
                  if v.get("condition") == [{"type": "slot", "name": "person", "value": person}]]
        return chosen[0] if chosen else None

    assert worded("works_in_ningbo", "spouse")["text"] == "您爱人现在是在宁波工作吗？"
    assert worded("works_in_ningbo", "spouse")["buttons"] == responses["utter_ask_works_in_ningbo"][-1]["buttons"]
    assert worded("hukou", "other_person")["text"].startswith("这位家人是宁波户口")
    assert worded("spouse_employee_medical_months", "spouse")["text"].startswith("您本人")   # her husband's months
    assert worded("owns_home_in_ningbo", "spouse") is None and worded("children_age", "spouse") is None
    for name, variations in responses.items():
        if name.startswith(("utter_ask_", "utter_reask_")):
            persons = [v["condition"][0]["value"] for v in variations if "condition" in v]
            assert "condition" not in variations[-1] and len(persons) == len(set(persons)), name


def test_yes_no_buttons_answer_with_affirm_and_deny_and_the_schema_says_what_they_mean():
    for path in schema.yes_no_paths():
        fact = schema.fact(path)
        buttons = DOMAIN["responses"][f"utter_ask_{fact.slot}"][0].get("buttons") or []
        assert {b["payload"] for b in buttons} <= {"/affirm", "/deny"}, path
        assert fact.answer(True) is not None and fact.answer(False) is not None


def test_the_yes_no_and_months_lists_are_the_schemas():
    assert YES_NO_SLOTS == {CONFIRM_WORK_MONTHS} | {SLOT_OF_PATH[p] for p in schema.yes_no_paths()}
    assert parsing._BOOL_FIELDS == set(schema.paths_of_kind("yes_no"))
    assert parsing._MONTH_FIELDS == set(schema.paths_of_kind("months")) | {WORK_MONTHS}
    assert set(months_slots()) == {SLOT_OF_PATH[p] for p in schema.paths_of_kind("months")} | {WORK_MONTHS}


SAMPLES = [None, True, False, 0, 1, 12, 12.0, 12.5, -1, 7, 35, 599, 601, 1e9, float("nan"), "12", "", "yes",
           "ningbo", "other", "senior", "dibao", "安徽", [], {}]


def _profile_accepts(path: str, value) -> bool:
    try:
        Profile.from_facts({path: value})
    except ProfileError:
        return False
    return True


@pytest.mark.parametrize("path", schema.field_paths())
def test_the_forms_validator_accepts_exactly_what_the_profile_accepts(path):
    form, slot = ValidateEligibilityForm(), SLOT_OF_PATH[path]
    for value in SAMPLES + list(schema.fact(path).choices):
        if value is None:
            continue
        kept = form._validate(slot, value, tracker())[slot] is not None
        assert kept == _profile_accepts(path, value), (path, value)


def test_every_programme_topic_is_an_intent_and_reaches_its_programmes():
    intents = set(yaml.safe_load((ROOT / "bot/domain/nlu.yml").read_text(encoding="utf-8"))["intents"])
    for topic, ids in topics().items():
        assert topic in intents, topic
        if all(pid in PROGRAM_IDS for pid in ids):
            assert programs_for(topic) == list(ids)


def test_a_new_fact_in_the_schema_makes_the_generated_domain_stale(monkeypatch):
    """The staleness check can fail: a fact added to the schema changes the generated domain."""
    facts = dict(schema.facts())
    extra = schema.Fact(path="owns_car", kind="yes_no", label="x", affirm=True, deny=False, ask="q")
    monkeypatch.setattr(schema, "_load", lambda: {**facts, "owns_car": extra})
    assert "utter_ask_owns_car" in generate.domain()
    assert generate.domain() != generate.DOMAIN_FILE.read_text(encoding="utf-8")


def test_the_check_command_names_a_stale_file(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "facts.yml"
    stale.write_text("old", encoding="utf-8")
    monkeypatch.setattr(generate, "outputs", lambda: {stale: "new"})
    monkeypatch.setattr(generate, "ROOT", tmp_path)
    assert generate.main(["--check"]) == 1
    assert "facts.yml" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("path", schema.yes_no_paths())
@pytest.mark.parametrize("text,intent,yes", [("是的", "affirm", True), ("不是", "deny", False),
                                             ("/affirm", "affirm", True), ("/deny", "deny", False)])
def test_a_bare_yes_or_no_to_a_facts_question_sets_what_the_schema_says(path, text, intent, yes):
    """Any yes/no fact of the schema is answered by 是/不是 and by its buttons, without code of its own."""
    slot = SLOT_OF_PATH[path]
    t = tracker({"requested_slot": slot, "programs": ["child_medical_insurance"]}, text=text, intent=intent)
    events = asyncio.run(ValidateEligibilityForm().run(CollectingDispatcher(), t, DOMAIN))
    set_slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert set_slots.get(slot) == schema.fact(path).answer(yes), (path, text, set_slots)
