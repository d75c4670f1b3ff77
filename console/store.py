"""The console's own records (SQLAlchemy; SQLite under var/ by default, any SQL database by CONSOLE_DB_URL):
staff accounts, login sessions, who claimed which conversation, internal notes, and the audit log.

A worker's conversation itself stays in Rasa's tracker store; the console keeps only what staff did.
Session tokens are stored as SHA-256 digests, so a copy of the database opens no session.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Float, ForeignKey, Integer, String, Text, create_engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base, sessionmaker

Base = declarative_base()
ROLES = ("staff", "admin")


class StaffRow(Base):
    __tablename__ = "staff"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)
    display_name = Column(String(64), nullable=False)
    role = Column(String(16), nullable=False, default="staff")
    password_hash = Column(String(255), nullable=False)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(Float, nullable=False, default=0.0)
    created_at = Column(Float, nullable=False)


class SessionRow(Base):
    __tablename__ = "sessions"
    token_digest = Column(String(64), primary_key=True)
    staff_id = Column(Integer, ForeignKey("staff.id"), nullable=False)
    csrf = Column(String(64), nullable=False)
    created_at = Column(Float, nullable=False)
    last_seen = Column(Float, nullable=False)


class ClaimRow(Base):
    __tablename__ = "claims"
    sender_id = Column(String(255), primary_key=True)  # one staff member per conversation
    staff_id = Column(Integer, ForeignKey("staff.id"), nullable=False)
    claimed_at = Column(Float, nullable=False)


class NoteRow(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    staff_id = Column(Integer, ForeignKey("staff.id"), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(Float, nullable=False)


class AuditRow(Base):
    __tablename__ = "audit"
    id = Column(Integer, primary_key=True)
    at = Column(Float, nullable=False, index=True)
    username = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    sender_id = Column(String(255), nullable=True, index=True)
    detail = Column(Text, nullable=False, default="{}")


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    display_name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Claim:
    sender_id: str
    staff: Staff
    claimed_at: float


@dataclass(frozen=True)
class Note:
    sender_id: str
    staff: str
    text: str
    created_at: float


@dataclass(frozen=True)
class AuditEntry:
    at: float
    username: str
    action: str
    sender_id: str | None
    detail: dict


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _staff(row: StaffRow) -> Staff:
    return Staff(row.id, row.username, row.display_name, row.role)


class StaffExists(ValueError):
    pass


class Store:
    def __init__(self, url: str) -> None:
        kwargs: dict[str, Any] = {"future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False}
        self.engine = create_engine(url, **kwargs)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, future=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s, s.begin():
            yield s

    # ------------------------------------------------------------------------------------ staff
    def add_staff(self, username: str, display_name: str, role: str, password_hash: str) -> Staff:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        try:
            with self.session() as s:
                row = StaffRow(username=username, display_name=display_name, role=role,
                               password_hash=password_hash, created_at=time.time())
                s.add(row)
                s.flush()
                return _staff(row)
        except IntegrityError as e:
            raise StaffExists(username) from e

    def staff_row(self, username: str) -> StaffRow | None:
        with self.session() as s:
            return s.execute(select(StaffRow).where(StaffRow.username == username)).scalar_one_or_none()

    def staff_by_id(self, staff_id: int) -> Staff | None:
        with self.session() as s:
            row = s.get(StaffRow, staff_id)
            return _staff(row) if row else None

    def all_staff(self) -> list[Staff]:
        with self.session() as s:
            return [_staff(r) for r in s.execute(select(StaffRow).order_by(StaffRow.username)).scalars()]

    def update_staff(self, username: str, **values: Any) -> None:
        with self.session() as s:
            row = s.execute(select(StaffRow).where(StaffRow.username == username)).scalar_one()
            for k, v in values.items():
                setattr(row, k, v)

    # ------------------------------------------------------------------------------------ login sessions
    def open_session(self, staff_id: int, token: str, csrf: str, now: float) -> None:
        with self.session() as s:
            s.add(SessionRow(token_digest=digest(token), staff_id=staff_id, csrf=csrf, created_at=now,
                             last_seen=now))

    def find_session(self, token: str, now: float, idle: float, longest: float) -> tuple[Staff, str] | None:
        """(staff, csrf token) of a live session, which it keeps alive; an expired one is deleted."""
        with self.session() as s:
            row = s.get(SessionRow, digest(token))
            if row is None:
                return None
            if now - row.last_seen > idle or now - row.created_at > longest:
                s.delete(row)
                return None
            row.last_seen = now
            staff = s.get(StaffRow, row.staff_id)
            return (_staff(staff), row.csrf) if staff else None

    def close_session(self, token: str) -> None:
        with self.session() as s:
            row = s.get(SessionRow, digest(token))
            if row is not None:
                s.delete(row)

    def close_sessions_of(self, staff_id: int) -> None:
        with self.session() as s:
            for row in s.execute(select(SessionRow).where(SessionRow.staff_id == staff_id)).scalars():
                s.delete(row)

    # ------------------------------------------------------------------------------------ claims
    def claim(self, sender_id: str, staff: Staff, now: float) -> Claim:
        """Claim a conversation; the existing claim when someone has it (the primary key decides races)."""
        try:
            with self.session() as s:
                s.add(ClaimRow(sender_id=sender_id, staff_id=staff.id, claimed_at=now))
        except IntegrityError:
            pass
        claim = self.claim_of(sender_id)
        assert claim is not None
        return claim

    def claim_of(self, sender_id: str) -> Claim | None:
        with self.session() as s:
            row = s.get(ClaimRow, sender_id)
            if row is None:
                return None
            return Claim(sender_id, _staff(s.get(StaffRow, row.staff_id)), row.claimed_at)

    def claims(self, sender_ids: list[str]) -> dict[str, Claim]:
        if not sender_ids:
            return {}
        with self.session() as s:
            rows = s.execute(select(ClaimRow, StaffRow).join(StaffRow, StaffRow.id == ClaimRow.staff_id)
                             .where(ClaimRow.sender_id.in_(sender_ids))).all()
            return {c.sender_id: Claim(c.sender_id, _staff(st), c.claimed_at) for c, st in rows}

    def unclaim(self, sender_id: str) -> None:
        with self.session() as s:
            row = s.get(ClaimRow, sender_id)
            if row is not None:
                s.delete(row)

    # ------------------------------------------------------------------------------------ notes
    def add_note(self, sender_id: str, staff: Staff, text: str, now: float) -> None:
        with self.session() as s:
            s.add(NoteRow(sender_id=sender_id, staff_id=staff.id, text=text, created_at=now))

    def notes(self, sender_id: str) -> list[Note]:
        with self.session() as s:
            rows = s.execute(select(NoteRow, StaffRow).join(StaffRow, StaffRow.id == NoteRow.staff_id)
                             .where(NoteRow.sender_id == sender_id).order_by(NoteRow.id)).all()
            return [Note(n.sender_id, st.display_name, n.text, n.created_at) for n, st in rows]

    # ------------------------------------------------------------------------------------ audit
    def audit(self, username: str, action: str, sender_id: str | None = None, now: float | None = None,
              **detail: Any) -> None:
        with self.session() as s:
            s.add(AuditRow(at=time.time() if now is None else now, username=username, action=action,
                           sender_id=sender_id, detail=json.dumps(detail, ensure_ascii=False)))

    def audit_log(self, limit: int = 500, sender_id: str | None = None) -> list[AuditEntry]:
        with self.session() as s:
            q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
            if sender_id is not None:
                q = q.where(AuditRow.sender_id == sender_id)
            return [AuditEntry(r.at, r.username, r.action, r.sender_id, json.loads(r.detail))
                    for r in s.execute(q).scalars()]
