"""python -m facts read [--json] [--asked FIELD] [TEXT | -]   ·   python -m facts eval [--table PATH] [-v]

`read -` takes JSON lines {"text": "...", "asked": "<field or null>"} on stdin and prints one JSON line
{"facts": {...}, "vague": [...], "unclear": [...]} per input; a malformed line prints {"error": "..."}
naming the line and the reading goes on (exit status 1 at the end). `eval` scores the reader on a case table
(default: tests/facts/dev.yaml)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from facts.reader import read

MAX_CHARS = 20_000


def _reading(text: str, asked: str | None, as_of: date | None) -> dict:
    r = read(text, asked, as_of).to_json()
    return {"facts": r["facts"], "vague": r["vague"], "vague_min": r["vague_min"], "unclear": r["unclear"]}


def _asked_paths() -> set[str]:
    from eligibility import schema
    return set(schema.field_paths()) | {"work_months"}


def _line(n: int, raw: str, as_of: date | None) -> tuple[dict, bool]:
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as e:
        return {"error": f"line {n}: not JSON ({e.msg}, column {e.colno})"}, False
    if not isinstance(item, dict):
        return {"error": f"line {n}: expected an object like {{\"text\": \"...\", \"asked\": null}}"}, False
    unknown = sorted(set(item) - {"text", "asked"})
    if unknown:
        return {"error": f"line {n}: unknown field(s) {', '.join(unknown)}; expected text and asked"}, False
    text, asked = item.get("text"), item.get("asked")
    if not isinstance(text, str):
        return {"error": f"line {n}: \"text\" must be a string"}, False
    if asked is not None and not isinstance(asked, str):
        return {"error": f"line {n}: \"asked\" must be a field path or null"}, False
    if asked is not None and asked not in _asked_paths():
        return {"error": f"line {n}: \"asked\" {asked!r} is no fact path (python -m eligibility schema lists them)"}, False
    if len(text) > MAX_CHARS:
        return {"error": f"line {n}: text longer than {MAX_CHARS} characters"}, False
    return _reading(text, asked, as_of), True


def cmd_read(a) -> int:
    as_of = date.fromisoformat(a.as_of) if a.as_of else None
    if a.text != "-":
        print(json.dumps(_reading(a.text, a.asked, as_of), ensure_ascii=False, indent=None if a.json else 1))
        return 0
    ok = True
    for n, raw in enumerate(sys.stdin, 1):
        if not raw.strip():
            continue
        out, good = _line(n, raw, as_of)
        ok &= good
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0 if ok else 1


def cmd_eval(a) -> int:
    from facts.evaluate import load_cases, report, score

    as_of = date.fromisoformat(a.as_of)
    s = score(load_cases(Path(a.table)), lambda text, asked: read(text, asked, as_of))
    print(report(a.table, s))
    if a.verbose:
        for text, asked, want, got in s.failures:
            print(f"  {text!r} asked={asked} want={want} got={got.facts} vague={got.vague}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m facts", description="read facts from workers' messages")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("read", help="one message (or JSON lines on stdin with -) -> facts")
    r.add_argument("text", help="the message, or - for JSON lines on stdin")
    r.add_argument("--asked", help="the field the bot just asked about (a fact path)")
    r.add_argument("--json", action="store_true", help="one JSON line per reading")
    r.add_argument("--as-of", help="the date durations count up to (default: today)")
    r.set_defaults(func=cmd_read)
    e = sub.add_parser("eval", help="exact-match score on a case table")
    e.add_argument("--table", default="tests/facts/dev.yaml")
    e.add_argument("--as-of", default="2026-12-01", help="the date the case table was written for")
    e.add_argument("-v", "--verbose", action="store_true", help="print the failures (never on held-out tables)")
    e.set_defaults(func=cmd_eval)
    a = p.parse_args(argv)
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
