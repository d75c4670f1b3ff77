"""Hukou: ningbo_leye/measure02 (优化外来劳动者落户举措)."""

from __future__ import annotations

from datetime import date

from ..parameters import value
from ..profile import Profile
from ..result import Trace, check
from . import rule


@rule()
def hukou_settlement(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure02/1: 进一步优化落户政策，放开放宽外来劳动者落户条件。(No conditions are written: refer
    to 市公安局.) measure02/2: 长三角区域户口网上迁移 — noted for workers from those provinces."""
    hukou = profile.hukou
    checks = (
        check("migrant_worker", None if hukou is None else hukou == "other", effect="gate", fields=("hukou",)),
        check("settlement_conditions", None, effect="refer"),
    )
    province = (profile.hukou_province or "").strip()
    delta = value("yangtze_delta_provinces", as_of) or ()
    in_delta = bool(province) and any(province.startswith(p) for p in delta)
    notes = ("online_migration_delta",) if in_delta else ("online_migration",)
    return Trace(checks, notes=notes, values={"province": province})
