"""The pages that need no conversation: assist a call, check a profile, search the clauses and documents.

The assist page keeps the call in the form itself (the caller's turns, the question each answered, the
facts staff corrected), so nothing of a call is stored; a new call starts empty.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs

from sanic.request import Request
from sanic.response import HTTPResponse

from console import assist as assisting
from console import check as checking
from console.conversation import ZONE

EDIT, SHOWN, KEPT = "edit:", "shown:", "kept:"


def today() -> date:
    """The date answers are for: YSLY_AS_OF (as the bot) pins it for tests, else today in Ningbo."""
    pinned = os.environ.get("YSLY_AS_OF")
    return date.fromisoformat(pinned) if pinned else datetime.now(ZONE).date()


def form_value(value: Any) -> str:
    """A fact's value as a form field holds it (yes_no: yes/no, choices: their value, numbers: 4 not 4.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


MAX_FIELDS = 500
NO_QUESTION = "-"  # a turn no suggested question preceded (blank form values must not vanish)


def form_of(request: Request) -> dict[str, list[str]]:
    """The submitted form with its blank fields kept (a fact set back to 不知道 is a blank select), which
    Sanic's request.form drops; a body that is not a form, or not UTF-8, is an empty form."""
    cached = getattr(request.ctx, "form", None)
    if cached is not None:
        return cached
    form: dict[str, list[str]] = {}
    if (request.content_type or "").startswith("application/x-www-form-urlencoded"):
        try:
            form = parse_qs(request.body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS,
                            errors="strict")
        except (UnicodeDecodeError, ValueError):
            form = {}
    else:
        try:
            form = {k: [v for v in vs if isinstance(v, str)] for k, vs in (request.form or {}).items()}
        except Exception:
            form = {}
    request.ctx.form = form
    return form


def _all(request: Request, name: str) -> list[str]:
    return list(form_of(request).get(name, []))


def _fields(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in form_of(request).items() if v}


def edits_of(fields: dict[str, str]) -> dict[str, str]:
    """The facts staff corrected: kept from earlier submits, plus any field changed from what it showed."""
    edits = {k[len(KEPT):]: v for k, v in fields.items() if k.startswith(KEPT)}
    for key, value in fields.items():
        if key.startswith(EDIT):
            path = key[len(EDIT):]
            if value.strip() != fields.get(SHOWN + path, "").strip():
                edits[path] = value.strip()
    return edits


def register(app: Any, page: Any, message: Any) -> None:
    settings = app.ctx.settings

    def assist_page(request: Request, turns: list[str], asked: list[str | None] | None,
                    edits: dict[str, str], error: str | None = None, status: int = 200) -> HTTPResponse:
        view = assisting.assist(turns, edits, as_of=today(), asked=asked) if turns or edits else None
        fields = checking.form_fields(today())
        specs = {f.name: f for f in fields}

        def spec_of(path: str) -> checking.FieldSpec | None:
            # the reader's children.age is the form's first child, children[0].age
            head, _, rest = path.partition(".")
            return specs.get(path) or (specs.get(f"{head}[0].{rest}") if rest else None)

        return page(request, "assist.html", status=status, view=view, turns=turns, edits=edits,
                    spec_of=spec_of, form_value=form_value, error=error, fields=fields)

    @app.get("/assist")
    async def assist_form(request: Request) -> HTTPResponse:
        return assist_page(request, [], None, {})

    @app.post("/assist")
    async def assist_turn(request: Request) -> HTTPResponse:
        fields = _fields(request)
        if fields.get("action") == "restart":
            return assist_page(request, [], None, {})
        turns = [t for t in _all(request, "turn") if t.strip()][: settings.max_turns]
        asked = [None if a in ("", NO_QUESTION) else a for a in _all(request, "asked")][: len(turns)]
        edits = edits_of(fields)
        added = fields.get("add_path", "")
        if added and fields.get("add_value", "").strip():
            edits[added] = fields["add_value"].strip()
        new = fields.get("new_turn", "").strip()
        if fields.get("action", "add") == "add":
            if not new and not edits:
                return assist_page(request, turns, asked, edits, error=message("turn_empty"), status=400)
            if len(new) > settings.max_turn_chars:
                return assist_page(request, turns, asked, edits, status=400,
                                   error=message("turn_too_long", limit=settings.max_turn_chars))
            if len(turns) >= settings.max_turns:
                return assist_page(request, turns, asked, edits, status=400,
                                   error=message("too_many_turns", limit=settings.max_turns))
            if new:
                # the question on screen when the caller said it (the page carries it) is the one this turn answers
                shown = fields.get("on_screen", NO_QUESTION)
                asked = asked + [None] * (len(turns) - len(asked))
                asked.append(None if shown in ("", NO_QUESTION) else shown)
                turns.append(new)
        return assist_page(request, turns, asked, edits)

    @app.get("/check")
    async def check_form(request: Request) -> HTTPResponse:
        return page(request, "check.html", fields=checking.form_fields(today()), values={}, errors={},
                    view=None)

    @app.post("/check")
    async def check(request: Request) -> HTTPResponse:
        fields = _fields(request)
        parsed = checking.parse_form(fields, as_of=today(), ignore=("csrf_token",))
        view = checking.check_view(parsed.profile, parsed.profile.as_of) if parsed.profile and not parsed.errors \
            else None
        return page(request, "check.html", status=400 if parsed.errors else 200,
                    fields=checking.form_fields(today()), values=fields, errors=parsed.errors, view=view)

    @app.get("/search")
    async def search(request: Request) -> HTTPResponse:
        query = (request.args.get("q") or "").strip()[: settings.max_turn_chars]
        view = assisting.search_view(query) if query else None
        return page(request, "search.html", query=query, view=view)

    @app.get("/documents")
    async def documents(request: Request) -> HTTPResponse:
        return page(request, "documents.html", docs=assisting.outline())

    @app.get("/documents/<section_id:path>")
    async def part(request: Request, section_id: str) -> HTTPResponse:
        try:
            card = assisting.part_card(section_id)
        except KeyError:
            return page(request, "error.html", status=404, error=message("not_found"))
        return page(request, "part.html", card=card, docs=assisting.outline())
