"""Run test stories against the trained bot and write a readable report of each failed story.

    python -m bot.story_report --model models/current.tar.gz --stories tests/dialogue --out reports/stories

(`make test-stories`, optionally `STORIES=path/to/file_or_dir`). For each failed story the report shows
the file, the story name, the steps up to the turn where the bot diverged, what the story expected and
what the bot would have done instead. Exit status 1 when a story fails.

It runs `rasa test core` (dialogue only, no action server: the stories say which actions run, the bot
predicts them) and reads Rasa's `failed_test_stories.yml`. It leaves out `--fail-on-prediction-errors`
so that every failed story is reported, not only the first; a run with no failure here is a run that
passes with that flag (tests/dialogue/test_stories.py runs it with the flag).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PREDICTED = re.compile(r"#\s*predicted:\s*(.+?)\s*$")


@dataclass
class Failure:
    name: str
    steps: list[str] = field(default_factory=list)
    expected: str = ""
    predicted: str = ""
    turn: int = 0
    source: str = ""


def story_files(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(p for p in path.rglob("*.yml") if p.is_file())


def story_sources(paths: list[Path]) -> dict[str, str]:
    """Story name → the file it came from."""
    sources = {}
    for p in paths:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        for story in data.get("stories", []) or []:
            sources[story.get("story", "")] = str(p)
    return sources


def parse_failures(text: str) -> list[Failure]:
    """Rasa writes failed stories as YAML with `# predicted: …` comments on the steps that diverged."""
    failures: list[Failure] = []
    current: Failure | None = None
    user_turns = 0
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- story:"):
            name = stripped.split(":", 1)[1].strip().strip('"')
            source = re.search(r" \(([^()]+\.ya?ml)\)$", name)  # Rasa appends " (file)"
            current = Failure(name[: source.start()] if source else name, source=source.group(1) if source else "")
            failures.append(current)
            user_turns = 0
            continue
        if current is None or not stripped.startswith("- ") or current.expected:
            continue
        step = stripped[2:]
        comment = PREDICTED.search(step)
        step = step.split("#", 1)[0].strip()
        if step.startswith(("intent:", "user:")):
            user_turns += 1
        if comment:
            current.expected, current.predicted, current.turn = step, comment.group(1), user_turns
        current.steps.append(step)
    return failures


def render(failures: list[Failure], sources: dict[str, str], total: int, stories: str) -> str:
    lines = [f"# Story test report ({stories})", "",
             f"{total - len(failures)} of {total} stories passed; {len(failures)} failed.", ""]
    for f in failures:
        lines += [f"## ✗ {f.name}", "", f"- file: `{f.source or sources.get(f.name, '?')}`",
                  f"- diverged at user turn {f.turn}: the story expects `{f.expected}`, "
                  f"the bot would run `{f.predicted}`", "", "```"]
        lines += f.steps[-8:]
        lines += ["```", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/current.tar.gz")
    parser.add_argument("--stories", default="tests/dialogue")
    parser.add_argument("--out", default="reports/stories")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = story_files(Path(args.stories))
    sources = story_sources(files)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(Path(sys.executable).parent / "rasa"), "test", "core", "--model", args.model,
               "--stories", args.stories, "--out", tmp]
        run = subprocess.run(cmd, capture_output=True, text=True)
        failed_file = Path(tmp) / "failed_test_stories.yml"
        failed_text = failed_file.read_text(encoding="utf-8") if failed_file.exists() else ""
        for name in ("failed_test_stories.yml", "story_report.json"):
            if (Path(tmp) / name).exists():
                (out / name).write_text((Path(tmp) / name).read_text(encoding="utf-8"), encoding="utf-8")
    failures = parse_failures(failed_text)
    if run.returncode != 0:
        print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
        print("rasa test core did not run (see above): check the story files' YAML and names.")
        return 2
    report = render(failures, sources, len(sources), args.stories)
    (out / "report.md").write_text(report, encoding="utf-8")
    print(report)
    print(f"report: {out / 'report.md'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
