"""What a loaded model says, in full precision, for tests/test_speedups.py: a model loaded with
bot.speedups and one loaded as Rasa ships it (YSLY_SPEEDUPS=0) must say the same.

    python -m tests.model_probe MODEL OUT.json   (Rasa's structlog writes to stdout, hence a file)

For every probe message: the intent ranking (names and confidences), the entities, and TED's action
probabilities on a tracker that is the message alone and then the message after the action predicted for
it, and whether bot.speedups loaded the model. The messages are every 20th training example (all topics) and the e2e openings.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OPENINGS = ["俺在北仑厂里干了一年半，娃3岁，能在这交医保不", "公司拖欠工资三个月了怎么办", "老板不跟我签劳动合同怎么办",
            "娃4岁没宁波户口能交医保不", "有哪些政策我能享受", "第三条原文是什么", "阿巴阿巴", "要带什么材料"]


def probe_messages(step: int = 20) -> list[str]:
    examples = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in item:
                examples += [line[2:].strip() for line in item["examples"].splitlines() if line.startswith("- ")]
    return examples[::step] + OPENINGS


async def probe(model: str) -> dict:
    import re

    from rasa.core.agent import load_agent
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    agent = await load_agent(model_path=model)
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    (ted,) = [n._component for n in nodes if isinstance(getattr(n, "_component", None), TEDPolicy)]
    from rasa.utils.tensorflow.models import RasaModel

    from bot import speedups

    out: dict = {"loaded for prediction only": getattr(RasaModel.load, speedups.INSTALLED, False)}
    for text in probe_messages():
        plain = re.sub(r"\[([^\]]+)\][({][^)}]*[)}]", r"\1", text)  # [宁波](place) as a user types it
        parsed = await agent.parse_message(plain)
        tracker = DialogueStateTracker.from_events("probe", [ActionExecuted("action_listen")], agent.domain.slots)
        tracker.update(UserUttered(plain, parsed["intent"], parsed["entities"], parsed))
        first = ted.predict_action_probabilities(tracker, agent.domain).probabilities
        tracker.update(ActionExecuted(agent.domain.action_names_or_texts[max(range(len(first)), key=first.__getitem__)]))
        second = ted.predict_action_probabilities(tracker, agent.domain).probabilities
        out[plain] = {
            "ranking": [[r["name"], r["confidence"]] for r in parsed.get("intent_ranking", [])],
            "entities": [[e["entity"], e.get("value"), e["start"], e["end"]] for e in parsed["entities"]],
            "ted": [list(first), list(second)],
        }
    return out


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(json.dumps(asyncio.run(probe(sys.argv[1])), ensure_ascii=False), encoding="utf-8")
