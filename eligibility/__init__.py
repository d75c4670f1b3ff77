"""Eligibility core (rules as code, OpenFisca style): pure Python, no Rasa imports, no I/O in rules.

    from eligibility import Profile, assess, evaluate, next_questions, PROGRAM_IDS
    results = evaluate(Profile(employee_medical_months=8, children=[{"age": 4}]), ["child_medical_insurance"])

Facts: ``facts.yaml`` (the fact schema, declared once) → ``profile.Profile``; programmes:
``programmes.yaml`` (registry) + ``rules/<topic>.py`` (one function per programme); parameters:
``parameters/*.yaml`` (dated); wording: ``texts.yaml``. ``docs/adding-a-programme.md`` walks through both.
"""

from . import schema
from .engine import (
    ALL_IDS,
    GUIDANCE_IDS,
    PROGRAM_IDS,
    Assessment,
    UnknownProgram,
    assess,
    evaluate,
    next_questions,
    topics,
)
from .profile import FIELD_PATHS, Child, Employer, Profile, ProfileError, Student
from .result import OUTCOMES, Check, Note, ProgramResult, Reason
from .texts import question

__all__ = [
    "ALL_IDS", "FIELD_PATHS", "GUIDANCE_IDS", "OUTCOMES", "PROGRAM_IDS", "Assessment", "Check", "Child",
    "Employer", "Note", "ProfileError", "Profile", "ProgramResult", "Reason", "Student", "UnknownProgram",
    "assess", "evaluate", "next_questions", "question", "schema", "topics",
]
