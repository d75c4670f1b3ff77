"""Several questions in one message: the unit model (bot/nlu/question_parts.py) trained on data/nlu, scored at
several thresholds on the multi-question cases of the question tables (all topics asked found, in order; the
first taken as the message's intent) and on one-question messages (any second topic added is a false one).

    .venv/bin/python -m tests.nlu.question_parts [tests/questions/dev.yaml tests/questions/dev_v2.yaml]

A held-out table is scored in aggregate only (its messages are never printed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.5)


def _asked(result: tuple, intent: str) -> list[str]:
    first, others = result
    return [first or intent] + [q["intent"] for q in others]


def main(tables: list[str]) -> None:
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.question_parts import also_asked, fit, questions_of, topic_intents
    from tests.leakage import nlu_examples

    data = TrainingData().merge(*[load_data(str(p)) for p in sorted((ROOT / "data" / "nlu").glob("*.yml"))])
    examples = [m for m in data.intent_examples if m.get("text")]
    model = fit([m.get("text") for m in examples], [m.get("intent") for m in examples])
    topics = topic_intents()
    multi = [(c["text"], c["expect"]["topics"]) for t in tables
             for c in yaml.safe_load(Path(t).read_text(encoding="utf-8"))["cases"] if c["kind"] == "multi"]
    singles = nlu_examples(ROOT / "tests" / "nlu" / "compound_dev.yml")
    for threshold in THRESHOLDS:
        found = sum(_asked(questions_of(model, text, want[0], topics, threshold), want[0]) == want
                    for text, want in multi)
        false = sum(bool(also_asked(model, text, intent, topics, threshold)) for intent, text in singles)
        # read as unsure by the classifiers (inform / a fallback), a one-question message must get no topics
        unsure = sum(questions_of(model, text, "inform", topics, threshold)[0] is not None for _, text in singles)
        multi_unsure = sum(_asked(questions_of(model, text, "nlu_fallback", topics, threshold), "nlu_fallback")
                           == want for text, want in multi)
        print(f"threshold {threshold}: all topics found {found}/{len(multi)} (classifiers unsure: {multi_unsure}); "
              f"a second topic added to {false}/{len(singles)} one-question messages, two topics made of one read "
              f"as inform {unsure}/{len(singles)}")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(ROOT / "tests/questions/dev.yaml"), str(ROOT / "tests/questions/dev_v2.yaml")])
