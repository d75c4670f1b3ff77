"""Passwords (argon2id, argon2-cffi), logins with lockout, session and CSRF tokens.

Pure of the web framework: the app calls ``Accounts.login`` and sets the cookie; every POST compares its
CSRF field with the session's token in constant time.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from console.settings import Settings
from console.store import Staff, Store

_hasher = PasswordHasher()
# A hash of nothing anyone knows, verified for an unknown user so that a login takes as long either way.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens; a missing one never matches."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


@dataclass(frozen=True)
class LoginResult:
    staff: Staff | None = None
    token: str = ""
    error: str | None = None           # key into console/data/messages.yaml: bad_login | locked
    locked_for: int = 0                # seconds, when locked


class Accounts:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings

    def create(self, username: str, display_name: str, role: str, password: str) -> Staff:
        self._check_password(password)
        return self.store.add_staff(username, display_name or username, role, hash_password(password))

    def set_password(self, username: str, password: str) -> None:
        self._check_password(password)
        self.store.update_staff(username, password_hash=hash_password(password), failed_logins=0,
                                locked_until=0.0)
        row = self.store.staff_row(username)
        self.store.close_sessions_of(row.id)

    def unlock(self, username: str) -> None:
        self.store.update_staff(username, failed_logins=0, locked_until=0.0)

    def _check_password(self, password: str) -> None:
        if len(password) < self.settings.min_password:
            raise ValueError(f"the password needs at least {self.settings.min_password} characters")

    def login(self, username: str, password: str, now: float | None = None) -> LoginResult:
        now = time.time() if now is None else now
        row = self.store.staff_row(username)
        if row is None:
            try:
                _hasher.verify(_DUMMY_HASH, password)
            except VerificationError:
                pass
            self.store.audit(username[:64] or "-", "login_failed", now=now, reason="unknown user")
            return LoginResult(error="bad_login")
        if row.locked_until > now:
            self.store.audit(username, "login_refused", now=now, reason="locked")
            return LoginResult(error="locked", locked_for=int(row.locked_until - now) + 1)
        try:
            _hasher.verify(row.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            failures = row.failed_logins + 1
            if failures >= self.settings.max_failures:
                self.store.update_staff(username, failed_logins=0, locked_until=now + self.settings.lockout)
                self.store.audit(username, "locked", now=now, failures=failures)
                return LoginResult(error="locked", locked_for=self.settings.lockout)
            self.store.update_staff(username, failed_logins=failures)
            self.store.audit(username, "login_failed", now=now, failures=failures)
            return LoginResult(error="bad_login")
        if _hasher.check_needs_rehash(row.password_hash):
            self.store.update_staff(username, password_hash=hash_password(password))
        self.store.update_staff(username, failed_logins=0, locked_until=0.0)
        token = new_token()
        self.store.open_session(row.id, token, new_token(), now)
        self.store.audit(username, "login", now=now)
        return LoginResult(staff=self.store.staff_by_id(row.id), token=token)

    def session(self, token: str | None, now: float | None = None) -> tuple[Staff, str] | None:
        if not token:
            return None
        return self.store.find_session(token, time.time() if now is None else now,
                                       self.settings.session_idle, self.settings.session_max)

    def logout(self, token: str, staff: Staff) -> None:
        self.store.close_session(token)
        self.store.audit(staff.username, "logout")
