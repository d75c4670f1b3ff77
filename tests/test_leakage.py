"""Every held-out set stays held out (tests/leakage.py says what that means).

Held-out sets and what each must not copy:
- NLU (tests/nlu/heldout.yml, heldout_v2.yml): the training examples, lookup and entity-synonym entries of
  data/nlu/, and the retrieval synonyms.
- Retrieval (golden.yaml's test split, tests/knowledge/heldout_v2.yaml): the dev questions, the NLU training
  data and the retrieval synonyms; and no colloquial synonym word occurs in held-out questions only (a word
  in no dev question and no clause was fitted to the held-out questions — an audit found 78 such).
- The question readers (tests/questions/heldout.yaml): its dev cases (tests/questions/dev.yaml), the NLU
  training data, the readers' word lists (knowledge/data/navigation.yaml, referrals.yaml, targets.yaml) and
  the retrieval synonyms; and no such word occurs in held-out cases only.
- The fact reader (tests/facts/heldout.yaml): its dev cases (dev.yaml, dev_v2.yaml … dev_v6.yaml), the NLU training data, the fact
  lexicon and the retrieval synonyms; and no fact-lexicon word occurs in held-out cases only (evidence: the dev cases, the NLU data and
  its lookup tables, the clauses).
Pasting one held-out sentence into data/nlu/ (or a held-out word into a word list) fails this file."""

from __future__ import annotations

from functools import cache

import pytest

from knowledge.lexical import convert_numbers
from tests import leakage as lk


@cache
def fact_lexicon() -> tuple[str, ...]:
    return tuple(w for path in lk.fact_lexicons() for w in lk.lexicon_words(path))


@cache
def tuned_nlu() -> tuple[str, ...]:
    return tuple(lk.nlu_training() + lk.nlu_word_entries())


def fact_dev_cases() -> list[str]:
    """The fact reader's development tables (tuning allowed): dev.yaml, dev_v2.yaml, dev_v3.yaml, dev_v4.yaml
    (2026-12-02), dev_v5.yaml (2026-12-03) and dev_v6.yaml (2026-12-04)."""
    return lk.fact_cases("dev.yaml") + lk.fact_cases("dev_v2.yaml") + lk.fact_cases("dev_v3.yaml") \
        + lk.fact_cases("dev_v4.yaml") + lk.fact_cases("dev_v5.yaml") + lk.fact_cases("dev_v6.yaml")


def question_dev_cases() -> list[str]:
    """The question readers' development tables: dev.yaml (2026-12-02) and dev_v2.yaml (2026-12-03: list items,
    several questions, another person)."""
    return lk.question_cases("dev.yaml") + lk.question_cases("dev_v2.yaml")


def held_out_sets() -> dict[str, tuple[list[str], list[str]]]:
    """name -> (held-out messages, everything they must not copy)."""
    nlu, synonyms = list(tuned_nlu()), lk.retrieval_synonyms()
    return {
        "nlu/heldout.yml": ([t for _, t in lk.nlu_examples(lk.ROOT / "tests/nlu/heldout.yml")], nlu + synonyms),
        "nlu/heldout_v2.yml": ([t for _, t in lk.nlu_examples(lk.ROOT / "tests/nlu/heldout_v2.yml")],
                               nlu + synonyms),
        "knowledge/golden.yaml test split": (lk.golden("test"), lk.golden("dev") + nlu + synonyms),
        "knowledge/heldout_v2.yaml": (lk.retrieval_heldout_v2(), lk.golden("dev") + nlu + synonyms),
        "questions/heldout.yaml": (lk.question_cases("heldout.yaml"),
                                   question_dev_cases() + nlu + lk.question_words() + synonyms),
        "questions/heldout_v2.yaml": (lk.question_cases("heldout_v2.yaml"),
                                      question_dev_cases() + nlu + lk.question_words() + synonyms),
        "facts/heldout.yaml": (lk.fact_cases("heldout.yaml"),
                               fact_dev_cases() + nlu + list(fact_lexicon()) + synonyms),
    }


@pytest.mark.parametrize("name", list(held_out_sets()))
def test_no_held_out_message_copies_what_we_tune_on(name):
    held, tuned = held_out_sets()[name]
    assert len(held) >= 50
    assert lk.near_copies(held, tuned) == []


def retrieval_heldout() -> list[str]:
    return lk.golden("test") + lk.retrieval_heldout_v2()


def retrieval_evidence() -> list[str]:
    return lk.golden("dev") + lk.clause_texts()


def test_no_synonym_word_was_fitted_to_held_out_questions():
    """Synonym words are matched after Chinese numerals become digits, so the check folds the same way."""
    assert lk.held_out_only(lk.synonym_say_words(), retrieval_heldout(), retrieval_evidence(), convert_numbers) == []


def fact_evidence() -> list[str]:
    return list(tuned_nlu()) + fact_dev_cases() + lk.clause_texts()


def test_no_fact_lexicon_word_was_fitted_to_held_out_cases():
    assert lk.held_out_only(fact_lexicon(), lk.fact_cases("heldout.yaml"), fact_evidence()) == []


def question_evidence() -> list[str]:
    return list(tuned_nlu()) + question_dev_cases() + lk.golden("dev") + lk.clause_texts()


# Reader words older than a held-out table cannot have been fitted to it: the word, and where it came from.
OLDER_THAN_QUESTIONS_HELDOUT_V2 = {
    "欠薪化解率": "targets.yaml alias of row14 欠薪线索动态化解率, commit daf80f8 (2026-12-02); heldout_v2 is of 2026-12-03",
}


def test_no_question_reader_word_was_fitted_to_held_out_cases():
    assert lk.held_out_only(lk.question_words(), lk.question_cases("heldout.yaml"), question_evidence()) == []
    fitted = lk.held_out_only(lk.question_words(), lk.question_cases("heldout_v2.yaml"), question_evidence())
    assert [w for w in fitted if w not in OLDER_THAN_QUESTIONS_HELDOUT_V2] == []


def test_the_checks_catch_a_pasted_sentence_a_near_copy_and_a_fitted_word():
    held, tuned = held_out_sets()["nlu/heldout_v2.yml"]
    long = [t for t in held if len(lk.normalise(t)) >= 8]
    assert lk.near_copies(long[:1], tuned + [long[0]]), "a pasted sentence must be caught"
    assert lk.near_copies(long[1:2], tuned + [long[1] + "呀"]), "a near-copy must be caught"
    assert lk.near_copies(long[2:3], tuned + ["[" + long[2][:4] + "](place)" + long[2][4:]]), "annotations stripped"
    question = lk.retrieval_heldout_v2()[0]
    fitted = next(question[i:i + 3] for i in range(len(question) - 2)
                  if question[i:i + 3] not in "\n".join(retrieval_evidence()))
    assert lk.held_out_only(lk.synonym_say_words() + [fitted], retrieval_heldout(), retrieval_evidence()) == [fitted]
