"""Choose the read path: the current-state read model, or the time index for the past."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from projections.current import current_view
from projections.timeline import PlanView, plan_events_only, plan_view

if TYPE_CHECKING:
    from cli.context import Settings


def plan_view_for(ctx_settings: Settings, opd: str, tahun: int, *, as_of: date | None,
                  known_at: datetime | None) -> PlanView:
    if as_of is None and known_at is None:
        events = plan_events_only(ctx_settings.engine, opd, tahun)
        return current_view(ctx_settings.app, ctx_settings.engine, opd, tahun, events)
    return plan_view(ctx_settings.engine, opd, tahun, as_of=as_of, known_at=known_at)
