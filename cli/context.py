"""What every command needs: the wired ledger (its application for the writes, its read side for
every question), and the plan it works on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import typer

from events_store.config import StoreConfig
from ledger.application import RenjaLedger
from ledger.errors import LedgerError
from ledger.i18n import _
from ledger.tanggal import set_zone
from projections.system import System, open_system
from projections.views import ReadSide


@dataclass
class Settings:
    db: str | None = None
    opd: str | None = None
    tahun: int | None = None
    user: str | None = None
    create: bool = True  # only the verbs that record may create a new ledger file

    @cached_property
    def ledger(self) -> System:
        return open_system(self.db, user=self.user, create=self.create)

    @property
    def store(self) -> StoreConfig:
        return self.ledger.store

    @property
    def app(self) -> RenjaLedger:
        return self.ledger.app

    @property
    def read(self) -> ReadSide:
        return self.ledger.read

    def plan(self) -> tuple[str, int]:
        """The --opd/--tahun given, or the only plan the ledger holds; its times are shown in its zone."""
        opd, tahun = self._plan()
        set_zone(self.read.plan_zone(opd, tahun))
        return opd, tahun

    def _plan(self) -> tuple[str, int]:
        if self.opd and self.tahun:
            return self.opd, self.tahun
        held_plans = self.read.plans()
        plans = [p for p in held_plans
                 if (self.opd is None or p[0] == self.opd) and (self.tahun is None or p[1] == self.tahun)]
        if len(plans) == 1:
            return plans[0]
        if not plans:
            held = "; ".join(f"{o} {t}" for o, t in held_plans)
            hint = (_("it holds: {plans}").format(plans=held) if held
                    else _("it holds no plan yet; run `renja demo` or `renja import`"))
            raise LedgerError(_("plan {plan!r} is not in the ledger {ledger}; {hint}").format(
                plan=f"{self.opd or '*'} {self.tahun or '*'}", ledger=self.store.display, hint=hint))
        listing = "; ".join(f"{o} {t}" for o, t in plans)
        raise LedgerError(_("the ledger holds several plans ({plans}): choose one with --opd and --tahun").format(plans=listing))


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj
