"""The fact reader: a worker's, a hotline caller's or an HR person's words -> Profile facts.

Pure Python (no Rasa imports): the dialogue's actions, the console and the tests call it. Word lists are
data (lexicon.yaml); normalisation, numerals, durations and ages have one implementation here
(text.py, quantities.py).
"""

from facts.followup import person_asked
from facts.quantities import years_named
from facts.reader import (
    Reading,
    clause_questions,
    clause_spans,
    is_acknowledgement,
    list_items,
    read,
    scheme_of,
)
from facts.text import normalize_text

__all__ = ["Reading", "clause_questions", "clause_spans", "is_acknowledgement", "list_items", "normalize_text", "person_asked", "read", "scheme_of", "years_named"]
