"""What every command needs: the ledger, the acting user and the plan it works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import typer
from sqlalchemy import Engine

from events_store.config import StoreConfig, resolve
from ledger.application import RenjaLedger
from ledger.errors import LedgerError, NotFound


@dataclass
class Settings:
    db: str | None = None
    opd: str | None = None
    tahun: int | None = None
    user: str | None = None
    _app: RenjaLedger | None = field(default=None, repr=False)

    @cached_property
    def store(self) -> StoreConfig:
        return resolve(self.db)

    @property
    def app(self) -> RenjaLedger:
        if self._app is None:
            self._app = RenjaLedger(self.store, user=self.user)
        return self._app

    @cached_property
    def engine(self) -> Engine:
        from projections.database import engine_for

        self.app  # noqa: B018 - creating the application creates the tables
        return engine_for(self.store)

    def plan(self) -> tuple[str, int]:
        """The --opd/--tahun given, or the only plan the ledger holds."""
        if self.opd and self.tahun:
            return self.opd, self.tahun
        from projections.catalog import list_plans

        plans = [p for p in list_plans(self.engine)
                 if (self.opd is None or p[0] == self.opd) and (self.tahun is None or p[1] == self.tahun)]
        if len(plans) == 1:
            return plans[0]
        if not plans:
            raise NotFound("plan", f"{self.opd or '*'} {self.tahun or '*'}",
                           f"the ledger {self.store.display} holds no such plan; run `renja demo` or `renja import`")
        listing = "; ".join(f"{o} {t}" for o, t in plans)
        raise LedgerError(f"the ledger holds several plans ({listing}): choose one with --opd and --tahun")


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj
