"""The dialogue test stories in this folder pass against the shared trained model (core only:
`rasa test core --fail-on-prediction-errors`, the NLU cannot make them flaky)."""

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


@pytest.mark.rasa
def test_dialogue_stories_pass(trained_model, tmp_path):
    run = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "test", "core", "--model", str(trained_model),
         "--stories", str(HERE), "--out", str(tmp_path), "--fail-on-prediction-errors"],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    # On failure Rasa prints the story with `# predicted: …` on the step that diverged;
    # `make test-stories` gives a readable report of every failed story.
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]


def test_there_are_enough_stories():
    import yaml

    count = sum(len(yaml.safe_load(p.read_text(encoding="utf-8")).get("stories", []))
                for p in HERE.glob("*.yml"))
    assert count >= 60
