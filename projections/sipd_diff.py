"""Does SIPD still say what was signed? ``renja sipd diff``: a snapshot of SIPD beside the plan as
the ledger's own documents (the signed Renja, DPA, DPPA ... and the decisions recorded by command)
state it, line by line: pagu, prakiraan maju, indicators and targets, komponen.

The documents' side is each line folded from its events *without* SIPD's syncs, so the report
says what was signed whether or not SIPD was ever synced into the same ledger.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from events_store.time_index import TimeIndex
from ledger.application.sipd.facts import FactKey, Stated, facts_of_line
from ledger.application.sipd.snapshot import Snapshot
from ledger.application.sipd.stated import SipdStage, snapshot_facts
from ledger.application.sipd.sync import KIND
from ledger.basis import Source, Stage
from ledger.events import DomainEvent
from ledger.kode import Level, kode_identity
from ledger.line_events import RincianItem, Role, indicator_name
from ledger.line_fold import fold_line
from ledger.line_state import LineState
from ledger.money import format_rupiah
from ledger.plan import plan_id, rekening_key
from ledger.rekening import KodeRekening
from ledger.timeless import IDENTITY_EVENTS
from projections.tabular import Column, Rendered, Tabular

COMPARED = ("pagu", "prakiraan_maju", "indikator", "rincian")  # what a signed document and SIPD both carry
WORDS = {"pagu": "Pagu", "prakiraan_maju": "Prakiraan maju", "indikator": "Indikator", "rincian": "Rincian komponen"}


def signed_states(index: TimeIndex, opd: str, tahun: int, as_of: date | None) -> dict[str, LineState]:
    """Each line of the plan as the documents and commands state it, SIPD's syncs left out."""
    by_line: dict[str, list[DomainEvent]] = defaultdict(list)
    for originator, event in index.plan_events(opd, tahun, plan_id(opd, tahun), as_of=as_of, known_at=None):
        if isinstance(event, IDENTITY_EVENTS) or event.basis.source.kind != KIND:
            by_line[originator].append(event)
    states = (fold_line(events) for events in by_line.values())
    return {state.key: state for state in states if state.key and state.in_force}


def line_keys(snapshot: Snapshot, states: dict[str, LineState]) -> dict[str, str]:
    """Each SIPD line's key in the plan, by kode (a line only SIPD has: its kode)."""
    by_kode = {kode_identity(state.kode): key for key, state in states.items()
               if state.kode and state.level is not Level.REKENING}
    keys: dict[str, str] = {}
    for sub in snapshot.active():
        sub_key = by_kode.get(str(sub.kode), str(sub.kode))
        keys[sub.kode_sbl] = sub_key
        for kode in sub.accounts:
            keys[f"{sub.kode_sbl}/{kode}"] = rekening_key(str(sub.kode), KodeRekening.read(kode))
    return keys


def shown(kind: str, value: Any) -> str | None:
    if value is None:
        return None
    if kind in ("pagu", "prakiraan_maju"):
        return format_rupiah(value)
    if kind == "indikator":
        text, target = value
        return ": ".join(str(part) for part in (text, target) if part is not None)
    items: tuple[RincianItem, ...] = value
    return f"{len(items)} komponen, Rp {format_rupiah(sum(item.jumlah for item in items))}"


def money(kind: str, value: Any) -> int | None:
    if value is None:
        return None
    if kind in ("pagu", "prakiraan_maju"):
        return int(value)
    if kind == "rincian":
        return sum(int(item.jumlah) for item in value)
    return None


def basis_of(state: LineState | None, key: FactKey) -> str | None:
    """Where the signed figure is stated (its document, table and row)."""
    if state is None:
        return None
    stage = Stage(key[2]) if len(key) > 2 else Stage.PRAKIRAAN_MAJU
    figures = state.figures(stage)
    if figures is None:
        return None
    source: Source | None = None
    if key[1] in ("pagu", "prakiraan_maju") and figures.statements:
        source = figures.statements[-1].source
    elif key[1] == "rincian" and figures.rincian:
        source = figures.rincian[-1].source
    elif key[1] == "indikator":
        role = Role(key[3])
        source = next((s for r, _t, s in reversed(figures.target_statements) if r is role), None)
    return source.describe() if source else None


# The indicators SIPD has a table for (docs/sipd.md); a Rencana Aksi's kondisi akhir tahun it has not.
SIPD_ROLES = {role.value for role in (Role.OWN, Role.PROGRAM, Role.KEGIATAN, Role.KELUARAN)}


def carried(key: FactKey, stage: SipdStage) -> bool:
    """Whether a snapshot synced at ``stage`` carries this fact: its stage's figures, and from a
    perubahan also the murni's pagu and komponen (pagumurni and the *_murni columns)."""
    kind = key[1]
    if kind not in COMPARED:
        return False
    if kind == "prakiraan_maju":
        return True
    if kind == "indikator" and key[3] not in SIPD_ROLES:
        return False
    if key[2] == stage.stage.value:
        return True
    return stage is SipdStage.PERUBAHAN and key[2] == Stage.MURNI.value and kind in ("pagu", "rincian")


def reference(key: FactKey, states: dict[str, LineState]) -> str:
    state = states.get(key[0])
    return state.reference if state else key[0]


def sipd_diff(index: TimeIndex, snapshot: Snapshot, opd: str, tahun: int, stage: SipdStage,
              as_of: date | None) -> Rendered:
    states = signed_states(index, opd, tahun, as_of)
    sipd = {key: stated for key, stated in snapshot_facts(snapshot, stage, line_keys(snapshot, states)).items()
            if key[1] in COMPARED}
    signed: dict[FactKey, Any] = {}
    for state in states.values():
        if state.level in (Level.SUB_KEGIATAN, Level.REKENING):
            signed.update({fact: value for fact, value in facts_of_line(state).items() if carried(fact, stage)})
    keys = sorted(sipd.keys() | signed.keys(), key=lambda key: (reference(key, states), key))
    rows = [row(key, sipd.get(key), signed.get(key), states) for key in keys
            if (sipd[key].value if key in sipd else None) != signed.get(key)]
    payload = {"report": "sipd-diff", "opd": opd, "tahun": tahun, "as_of": as_of.isoformat() if as_of else None,
               "known_at": None, "sipd": snapshot.source, "unit": snapshot.unit_kode,
               "instant": snapshot.instant.isoformat(sep=" ") if snapshot.instant else None, "stage": stage.value,
               "compared": len(sipd.keys() | signed.keys()), "rows": rows}
    return Rendered(payload, form(payload))


def row(key: FactKey, stated: Stated | None, signed: Any, states: dict[str, LineState]) -> dict[str, Any]:
    kind = key[1]
    state = states.get(key[0])
    sipd_value = stated.value if stated else None
    what = WORDS[kind] + (f" ({indicator_name(Role(key[3]), int(key[4]))})" if kind == "indikator" else "")
    sipd_money, signed_money = money(kind, sipd_value), money(kind, signed)
    return {
        # A line the documents name without a kode (one SIPD cannot hold) shows its name only.
        "kode": (state.reference if state.kode else None) if state else key[0], "nama": state.nama if state else None,
        "fakta": what, "tahap": key[2] if len(key) > 2 else Stage.PRAKIRAAN_MAJU.value,
        "sipd": shown(kind, sipd_value), "dokumen": shown(kind, signed),
        "sipd_rp": sipd_money, "dokumen_rp": signed_money,
        "selisih": sipd_money - signed_money if sipd_money is not None and signed_money is not None else None,
        "baris_sipd": stated.where if stated else None, "dasar_dokumen": basis_of(state, key),
        "keadaan": "hanya di SIPD" if signed is None else ("tidak ada di SIPD" if stated is None else "berbeda"),
    }


def form(payload: dict[str, Any]) -> Tabular:
    columns = [Column("kode", "Kode", "code", width=18, number=1), Column("nama", "Uraian", width=34, number=2),
               Column("fakta", "Yang dibandingkan", width=16, number=3), Column("tahap", "Tahap", width=9, number=4),
               Column("sipd", "Menurut SIPD", width=26, number=5), Column("dokumen", "Menurut dokumen", width=26, number=6),
               Column("selisih", "Selisih (SIPD - dokumen)", "money", number=7),
               Column("keadaan", "Keadaan", width=14, number=8),
               Column("dasar_dokumen", "Dasar dokumen", width=34, number=9, drop=1),
               Column("baris_sipd", "Baris SIPD", width=26, number=10, drop=2)]
    rows = payload["rows"]
    styles: list[str | None] = ["bad" if r["keadaan"] == "berbeda" else "flag" for r in rows]
    heading = [f"REKONSILIASI SIPD DENGAN DOKUMEN YANG DITANDATANGANI - {str(payload['opd']).upper()} "
               f"TAHUN {payload['tahun']}"]
    notes = [f"SIPD: {payload['sipd']} (sub-unit {payload['unit']}, per {payload['instant'] or '-'}, tahap "
             f"{payload['stage']}); {payload['compared']} fakta dibandingkan, {len(rows)} berbeda."]
    meta = [("Perangkat Daerah", str(payload["opd"])), ("Tahun", str(payload["tahun"])),
            ("Sumber SIPD", str(payload["sipd"]))]
    return Tabular(f"Rekonsiliasi SIPD - {payload['opd']} {payload['tahun']}", columns, rows, meta, styles, notes,
                   heading=heading, column_numbers=True, sheet="Rekonsiliasi SIPD")
