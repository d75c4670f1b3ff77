"""Rasa sends the action server the domain (67 KB of JSON, most of a request) only for the actions marked
`send_domain: true` (endpoints: `enable_selective_domain`); every other action receives `{}`. So an action
that reads its `domain` argument must be marked, and every endpoints file must ask for it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = ["bot/endpoints.yml", "bot/endpoints-scale.yml", "bot/endpoints-scale-broker.yml"]


def marked() -> set[str]:
    names = set()
    for path in (ROOT / "bot/domain").glob("*.yml"):
        for action in yaml.safe_load(path.read_text(encoding="utf-8")).get("actions") or []:
            if isinstance(action, dict):
                names |= {name for name, config in action.items() if (config or {}).get("send_domain")}
    return names


def _action_name(cls: ast.ClassDef) -> str | None:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "name":
            returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return)]
            if returns and isinstance(returns[0], ast.Constant):
                return returns[0].value
    return None


def reads_domain(cls: ast.ClassDef) -> bool:
    """Whether a method uses its `domain` parameter other than by handing it to another action's run()
    (whose own class is checked in turn); a form validation action always does (rasa_sdk reads the form)."""
    if any(getattr(base, "id", getattr(base, "attr", "")) == "FormValidationAction" for base in cls.bases):
        return True
    for method in (n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        handed_on = {id(arg) for call in ast.walk(method) if isinstance(call, ast.Call)
                     and isinstance(call.func, ast.Attribute) and call.func.attr == "run" for arg in call.args}
        if any(isinstance(n, ast.Name) and n.id == "domain" and isinstance(n.ctx, ast.Load)
               and id(n) not in handed_on for n in ast.walk(method)):
            return True
    return False


def action_classes() -> dict[str, ast.ClassDef]:
    classes = {}
    for path in sorted((ROOT / "actions").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and (name := _action_name(node)):
                classes[name] = node
    return classes


def test_every_action_that_reads_the_domain_is_marked_and_only_those():
    classes = action_classes()
    assert len(classes) >= 10  # the scan found the actions
    readers = {name for name, cls in classes.items() if reads_domain(cls)}
    assert readers == marked() and "validate_eligibility_form" in readers


def test_the_check_sees_a_read_and_ignores_a_hand_on():
    source = ("class A(Action):\n    def name(self): return 'a'\n"
              "    async def run(self, dispatcher, tracker, domain):\n        return domain.get('slots')\n"
              "class B(Action):\n    def name(self): return 'b'\n"
              "    async def run(self, dispatcher, tracker, domain):\n        return await A().run(dispatcher, tracker, domain)\n")
    a, b = ast.parse(source).body
    assert reads_domain(a) and not reads_domain(b)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoints_file_sends_the_domain_selectively(path):
    endpoint = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["action_endpoint"]
    assert endpoint["enable_selective_domain"] is True
