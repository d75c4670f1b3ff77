"""Held-out sets are written once and frozen: their tests pin the file's hash."""

from __future__ import annotations

import hashlib
from pathlib import Path


def assert_frozen(path: Path, sha256: str) -> None:
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256, \
        f"{path.name} changed: a held-out set is written once, never tuned or edited"
