"""What a snapshot states, as facts (``ledger.application.sipd.facts``) of the plan's lines: the
one reading of SIPD's columns that the sync records and ``renja sipd diff`` compares."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ledger.application.sipd.facts import FactKey, Stated
from ledger.application.sipd.snapshot import Snapshot
from ledger.basis import Stage


class SipdStage(StrEnum):
    """What the current columns of a sync state (docs/sipd.md, the stage rule)."""

    MURNI = "murni"
    PERUBAHAN = "perubahan"
    PERGESERAN = "pergeseran"  # a pergeseran before any perubahan: statements of the murni

    @property
    def stage(self) -> Stage:
        return Stage.PERUBAHAN if self is SipdStage.PERUBAHAN else Stage.MURNI


def _printed(column: str, value: object) -> str | None:
    return None if value is None else f"{column}={value}"


def snapshot_facts(snapshot: Snapshot, sipd_stage: SipdStage, keys: dict[str, str]) -> dict[FactKey, Stated]:
    """Every fact the snapshot states of its active lines. ``keys``: each line's key in the plan,
    by kode_sbl (a sub-kegiatan) and kode_sbl/kode rekening (an account)."""
    stated: dict[FactKey, Stated] = {}

    def state(key: FactKey, value: Any, where: str, printed: str | None = None) -> None:
        if value is not None:
            stated[key] = Stated(value, where, printed)

    stage = sipd_stage.stage.value
    perubahan = sipd_stage is SipdStage.PERUBAHAN
    for sub in snapshot.active():
        key, where = keys[sub.kode_sbl], sub.where
        state((key, "withdrawn", stage), False, where)
        state((key, "held", stage), True, where)
        state((key, "pagu", stage), sub.pagu, where, sub.printed("pagu"))
        if perubahan:
            state((key, "pagu", Stage.MURNI.value), sub.pagu_murni, where, sub.printed("pagumurni"))
        # pagu_n_depan is NOT NULL in SIPD: 0 is what an office that entered no prakiraan maju leaves.
        state((key, "prakiraan_maju"), sub.pagu_n_depan or None, where, sub.printed("pagu_n_depan"))
        for role, indicators in sub.indicators.items():
            for ke, indicator in enumerate(indicators, start=1):
                state((key, "indikator", stage, role.value, str(ke)), (indicator.text, indicator.target),
                      indicator.where, str(indicator.target) if indicator.target else None)
        state((key, "lokasi", stage), sub.lokasi, where)
        state((key, "sumber_dana", stage), sub.sumber_dana, where)
        for kode, account in sub.accounts.items():
            account_key = keys[f"{sub.kode_sbl}/{kode}"]
            state((account_key, "withdrawn", stage), False, account.where)
            state((account_key, "held", stage), True, account.where)
            if account.items:
                state((account_key, "rincian", stage), tuple(item for item, _ in account.items),
                      account.items[0][1], _printed("rincian", sum(item.jumlah for item, _ in account.items)))
            if perubahan and account.murni:
                state((account_key, "rincian", Stage.MURNI.value), tuple(item for item, _ in account.murni),
                      account.murni[0][1], _printed("rincian_murni", sum(i.jumlah for i, _ in account.murni)))
            if account.kas is not None:
                state((account_key, "kas", stage), account.kas[0], account.kas[1],
                      " | ".join(str(month) for month in account.kas[0]))
    return stated
