"""Custom actions (rasa_sdk), thin: read slots, call eligibility/knowledge, send domain responses.

One module per concern: extract (facts from every message), forms (what to ask), eligibility (verdicts),
why, policy_search (general questions), handoff (hotline and fallback). Pure helpers: parsing, slots,
topics, render.

rasa_sdk imports every module of this package into the action server, so nothing here imports
`rasa` (only `rasa_sdk`): the NLU pipeline components (tokenizer, sentence vector, intent ensemble,
unknown words) live in bot/nlu/.
"""
