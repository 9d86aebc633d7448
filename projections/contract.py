"""What every report's JSON contract shares: its head (which report, whose plan, at which
point on both time axes) and a target as value and satuan."""

from __future__ import annotations

from typing import Any

from ledger.target import Target
from projections.timeline import PlanView


def header(view: PlanView, kind: str) -> dict[str, Any]:
    return {"report": kind, "opd": view.opd, "tahun": view.tahun,
            "as_of": view.as_of.isoformat() if view.as_of else None,
            "known_at": view.known_at.isoformat() if view.known_at else None}


def target_json(target: Target | None) -> dict[str, str] | None:
    return None if target is None else {"nilai": str(target.nilai), "satuan": target.satuan}
