"""The worker's facts: frozen pydantic models built from the fact schema (``facts.yaml``, ``schema.py``).

Every fact is optional: ``None`` means *unknown*, which is a real state the rules reason about (it leads
to ``need_info``), never a silent default. Each field is checked by its kind's check in ``schema.py``, so
the Profile, the CLI and the dialogue's form accept and reject the same values, and every error names the
field path, e.g. ``children[0].age: must be ≥ 0``. ``Profile.schema()`` is the JSON Schema.

pydantic 1 (the Rasa environment pins 1.10) or pydantic 2's ``pydantic.v1`` (the torch environment).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal, Optional, Union

try:  # pydantic 2
    from pydantic.v1 import BaseModel, Field, StrictInt, create_model, validator
    from pydantic.v1.main import validate_model
except ImportError:  # pydantic 1
    from pydantic import BaseModel, Field, StrictInt, create_model, validator
    from pydantic.main import validate_model

from . import schema
from .schema import Fact


class ProfileError(ValueError):
    """Bad input. ``errors`` is a list of ``(path, message)``; ``str()`` gives one line per error."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{p}: {m}" if p else m for p, m in errors))


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if part == "__root__":
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems(model: type[BaseModel], error) -> list[tuple[str, str]]:
    out = []
    for e in error.errors():
        loc, kind = tuple(e["loc"]), e["type"]
        if kind == "value_error.extra":
            owner = _owner(model, loc[:-1])
            message = f"unknown field (known: {', '.join(owner.__fields__)})"
        elif kind.startswith("type_error") and loc and isinstance(loc[-1], int):
            message = "must be an object"  # an item of a list that is not one
        else:
            message = e["msg"]
        out.append((_path(loc), message))
    return out


def _owner(model: type[BaseModel], loc: tuple) -> type[BaseModel]:
    """The model that holds the field at ``loc`` (for the list of known fields)."""
    for part in loc:
        if isinstance(part, int):
            continue
        inner = model.__fields__[part].type_
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
    return model


class Facts(BaseModel):
    """Base of every fact model: frozen, unknown fields rejected, errors as ``ProfileError``."""

    class Config:
        extra = "forbid"
        frozen = True

        @staticmethod
        def schema_extra(schema: dict, model) -> None:
            """A number is one JSON Schema type with its range (not int | float as pydantic writes it)."""
            for prop in schema.get("properties", {}).values():
                branches = prop.get("anyOf") or []
                if branches and {b.get("type") for b in branches} == {"integer", "number"}:
                    del prop["anyOf"]
                    for b in branches:
                        prop.update(b)
                    prop["type"] = "number"

    def __init__(__pydantic_self__, **data: Any):
        values, fields_set, error = validate_model(type(__pydantic_self__), data)
        if error:
            raise ProfileError(_problems(type(__pydantic_self__), error))
        __pydantic_self__._set(values, fields_set)

    def _set(self, values: dict, fields_set: set) -> None:
        """What BaseModel.__init__ does once the values are validated (the model is frozen)."""
        object.__setattr__(self, "__dict__", values)
        object.__setattr__(self, "__fields_set__", fields_set)

    @classmethod
    def validate(cls, value: Any):
        """As a nested field (a child, the student, the employer): validated again, errors kept structured
        so that the Profile reports ``children[1].hukou``, not the nested model's own message."""
        if isinstance(value, BaseModel):
            value = value.dict()
        if not isinstance(value, Mapping):
            raise ValueError(f"must be an object (got {value!r})")
        values, fields_set, error = validate_model(cls, dict(value))
        if error:
            raise error
        obj = cls.__new__(cls)
        obj._set(values, fields_set)
        return obj

    def to_dict(self) -> dict:
        """Known facts only (None left out), dates as ISO strings, nested models as dicts."""
        out = {}
        for name in self.__fields__:
            v = getattr(self, name)
            if v is None:
                continue
            if isinstance(v, date):
                v = v.isoformat()
            elif isinstance(v, tuple):
                v = [item.to_dict() for item in v]
            elif isinstance(v, Facts):
                v = v.to_dict()
            out[name] = v
        return out


class _Profile(Facts):
    """What we know about one worker. ``Profile(**facts)`` validates and raises ``ProfileError``."""

    @classmethod
    def from_dict(cls, data: Any):
        """From parsed JSON/YAML; unknown keys and wrong types are errors naming the field."""
        if not isinstance(data, Mapping):
            raise ProfileError([("", f"profile must be a JSON object (got {type(data).__name__})")])
        return cls(**{str(k): v for k, v in data.items()})

    @classmethod
    def from_facts(cls, facts: Mapping[str, Any], as_of: date | None = None):
        """From dotted field paths as the dialogue keeps them (``children.age`` = the child asked about)."""
        data: dict[str, Any] = {}
        for path, value in facts.items():
            if value is None:
                continue
            head, _, rest = path.partition(".")
            if not rest:
                data[head] = value
            elif schema.fact(head).kind == "list":
                data.setdefault(head, [{}])[0][rest] = value
            else:
                data.setdefault(head, {})[rest] = value
        if as_of is not None:
            data["as_of"] = as_of
        return cls.from_dict(data)

    def replace(self, **changes):
        """A copy with some facts changed, validated like a new Profile."""
        return type(self)(**{**{n: getattr(self, n) for n in self.__fields__}, **changes})

    def get(self, path: str) -> Any:
        """Value at a dotted path (``children.age`` reads the first child); None when unknown."""
        head, _, rest = path.partition(".")
        value = getattr(self, head)
        if not rest or value is None:
            return value
        if isinstance(value, tuple):
            return getattr(value[0], rest) if value else None
        return getattr(value, rest)


# ---------------------------------------------------------------- the models, from facts.yaml
# a number keeps its type (4 stays 4, 3.5 stays 3.5): float alone would show a child's age as 4.0
_TYPES = {"yes_no": bool, "months": int, "number": Union[StrictInt, float], "text": str, "date": date}  # noqa: UP007 (a runtime type)


def _field(f: Fact, models: dict[str, type[BaseModel]]):
    """(annotation, pydantic Field) for one fact: the type and range also go into the JSON Schema."""
    if f.kind == "choice":
        annotation = Literal[tuple(f.choices)]
    elif f.kind == "list":
        annotation = tuple[models[f.model], ...]
    elif f.kind == "object":
        annotation = models[f.model]
    elif f.whole:  # a count: an integer in the JSON Schema too
        annotation = int
    else:
        annotation = _TYPES[f.kind]
    extra = {"title": f.label}
    if f.minimum is not None:
        extra["ge"] = f.minimum
    if f.maximum is not None:
        extra["le"] = f.maximum
    if f.kind == "date":  # the date the answer is for: today unless given
        return annotation, Field(default_factory=date.today, **extra)
    return Optional[annotation], Field(None, **extra)  # noqa: UP045 (a runtime type)


def _model(name: str, facts: list[Fact], models: dict, base: type[BaseModel] = Facts) -> type[BaseModel]:
    fields = {f.name: _field(f, models) for f in facts}
    validators = {
        f"check_{f.name}": validator(f.name, pre=True, allow_reuse=True)(_checker(f)) for f in facts
    }
    model = create_model(name, __base__=base, __validators__=validators, **fields)
    model.__module__ = __name__
    return model


def _checker(f: Fact):
    def check(cls, value):
        if value is None and f.kind == "date":
            return date.today()
        return f.check(value)

    check.__name__ = f"check_{f.name}"
    return check


def _build() -> dict[str, type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {}
    for container in schema.top_level():
        if container.kind in ("list", "object") and container.model not in models:
            models[container.model] = _model(container.model, schema.children_of(container.path), models)
    models["Profile"] = _model("Profile", schema.top_level(), models, base=_Profile)
    return models


_MODELS = _build()
Profile = _MODELS["Profile"]
Child = _MODELS["Child"]
Student = _MODELS["Student"]
Employer = _MODELS["Employer"]

# Every path the rules can ask about (contracts.md): top-level fields and dotted nested ones.
FIELD_PATHS = schema.field_paths()
