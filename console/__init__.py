"""The hotline staff console (12333 / 12345): the assistant beside a call, and the human side of the hand-off.

Its own process (``make console``, 127.0.0.1:5080 by default), never on the public webhook port. Server-
rendered pages (Sanic + Jinja2): assist a call turn by turn, check a profile, search the clauses and the
documents, take over conversations the bot handed off (claim, reply, note, release) and draft a 工单.
Staff log in (argon2 hashes, HTTP-only session cookies, CSRF on every form, lockout); every action on a
conversation goes into the audit log. The console reaches Rasa only over HTTP with an admin JWT it mints
server-side (bot.auth), never handed to the browser.
"""
