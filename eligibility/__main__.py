"""CLI: ``python -m eligibility check --json - < profile.json`` (``--program ID`` to limit, repeatable);
``python -m eligibility schema`` prints the Profile's JSON Schema (from facts.yaml).

Bad input (malformed JSON, wrong types, unknown fields or enum values, negative months) prints
``error: <field path>: <problem>`` on stderr and exits 2, without a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import texts as T
from .engine import ALL_IDS, UnknownProgram, evaluate, next_questions
from .profile import Profile, ProfileError


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    with open(source, encoding="utf-8") as f:
        return f.read()


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eligibility")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="evaluate a profile (JSON) against the programs")
    check.add_argument("profile", nargs="?", default="-", help="profile JSON file, or - for stdin (default)")
    check.add_argument("--json", action="store_true", help="print JSON (default: a short Chinese summary)")
    check.add_argument("--program", action="append", metavar="ID",
                       help=f"limit to this program (repeatable): {', '.join(ALL_IDS)}")
    sub.add_parser("schema", help="print the JSON Schema of a profile (fields, types, ranges, labels)")
    args = parser.parse_args(argv)
    if args.command == "schema":
        print(json.dumps(Profile.schema(), ensure_ascii=False, indent=2))
        return 0

    try:
        raw = _read(args.profile)
    except OSError as e:
        return _fail(f"cannot read {args.profile}: {e.strerror}")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        return _fail(f"input is not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})")
    try:
        profile = Profile.from_dict(data)
    except ProfileError as e:
        for path, msg in e.errors:
            print(f"error: {path}: {msg}" if path else f"error: {msg}", file=sys.stderr)
        return 2
    programs = None
    if args.program:
        programs = [p.strip() for arg in args.program for p in arg.split(",") if p.strip()]
    try:
        results = evaluate(profile, programs)
        questions = next_questions(profile, programs)
    except UnknownProgram as e:
        return _fail(str(e.args[0]))

    if args.json:
        out = {"as_of": profile.as_of.isoformat(), "results": [r.to_dict() for r in results],
               "next_questions": questions}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    outcomes = T.texts()["outcomes"]
    for r in results:
        subject = f" [{r.subject}]" if r.subject else ""
        print(f"■ {r.title}{subject}：{outcomes[r.outcome]}（{r.outcome}）")
        print(f"  {r.summary}")
        for reason in r.reasons:
            print(f"  - [{reason.status}] {reason.explanation}  〔{reason.clause_id}：“{reason.quote}”〕")
        for note in r.notes:
            print(f"  * {note.explanation}  〔{note.clause_id}〕")
        if r.counterfactual:
            print(f"  → {r.counterfactual}")
        for step in r.next_steps:
            print(f"  · {step}")
    for path in questions:
        print(f"? {T.question(path)['prompt']}  ({path})")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into head
        sys.exit(0)
