"""Eligibility core (rules as code, OpenFisca style): pure Python, no Rasa imports, no I/O in rules.

    from eligibility import Profile, evaluate, next_questions, PROGRAM_IDS
    results = evaluate(Profile(employee_medical_months=8, children=[{"age": 4}]), ["child_medical_insurance"])

Facts: ``profile.Profile``; parameters: ``parameters/*.yaml`` (dated); rules: ``rules/<topic>.py`` (one
function per program); wording: ``texts.yaml``.
"""

from .engine import ALL_IDS, GUIDANCE_IDS, PROGRAM_IDS, UnknownProgram, evaluate, next_questions
from .profile import FIELD_PATHS, Child, Employer, Profile, ProfileError, Student
from .result import OUTCOMES, Note, ProgramResult, Reason
from .texts import question

__all__ = [
    "ALL_IDS", "FIELD_PATHS", "GUIDANCE_IDS", "OUTCOMES", "PROGRAM_IDS", "Child", "Employer", "Note",
    "ProfileError", "Profile", "ProgramResult", "Reason", "Student", "UnknownProgram", "evaluate",
    "next_questions", "question",
]
