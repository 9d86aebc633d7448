"""The header block of a DPA / DPPA sub-kegiatan, as SIPD prints it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ledger.basis import Stage
from ledger.kode import Kode
from ledger.line_events import Role
from ledger.line_state import LineState, StageFigures
from ledger.money import format_rupiah
from projections.contract import target_json
from projections.forms.shared import BLOCK_STYLE, printed_name
from projections.tabular import target_text
from projections.timeline import PlanView

HEAD_WORDS = {1: "Urusan Pemerintahan", 2: "Bidang Urusan"}
LEVEL_WORDS = {"program": "Program", "kegiatan": "Kegiatan"}


def sipd_block(view: PlanView, kode: str | None, stage: Stage, masukan: str | None) -> list[dict[str, Any]]:
    """The lines SIPD prints above a sub-kegiatan's rincian belanja: its urusan, bidang urusan,
    program and kegiatan, sumber pendanaan, lokasi, waktu pelaksanaan, kelompok sasaran, and the
    indikator and tolok ukur (capaian program, masukan, keluaran, hasil), each as the ledger
    knows it at ``stage`` (else at another stage); what no document stated stays blank."""
    by_kode = {line.kode: line for line in view.lines.values() if line.kode}
    sub = by_kode.get(kode or "")
    if sub is None or not kode:
        return []
    parts = Kode.parse(kode).parts
    rows: list[tuple[str, str | None]] = []
    for depth in range(1, len(parts)):
        prefix = ".".join(parts[:depth])
        line = by_kode.get(prefix)
        named = f"{prefix} {printed_name({'nama': line.nama, 'level': line.level.value})}" if line else prefix
        if depth in HEAD_WORDS:
            rows.append((HEAD_WORDS[depth], named))
        elif line is not None and line.level.value in LEVEL_WORDS:
            rows.append((LEVEL_WORDS[line.level.value], named))
    upper = [by_kode.get(".".join(parts[:depth])) for depth in range(1, len(parts))]
    program = next((line for line in upper if line is not None and line.level.value == "program"), None)
    kegiatan = next((line for line in upper if line is not None and line.level.value == "kegiatan"), None)
    rows += [("Sumber Pendanaan", detail(sub, stage, lambda f: f.sumber_dana)),
             ("Lokasi", detail(sub, stage, lambda f: f.lokasi)),
             ("Waktu Pelaksanaan", None),  # no document the ledger reads states it
             ("Kelompok Sasaran", None),
             ("Capaian Program", indicator_text(sub, stage, Role.PROGRAM) or indicator_text(program, stage, Role.OWN)),
             ("Masukan", masukan),
             ("Keluaran", indicator_text(sub, stage, Role.OWN)),
             ("Hasil", indicator_text(sub, stage, Role.KEGIATAN) or indicator_text(kegiatan, stage, Role.OWN))]
    return [{"rekening": label, "uraian": value or "", "level": BLOCK_STYLE} for label, value in rows]


def masukan(section: dict[str, Any], perubahan: bool) -> str | None:
    """The masukan of a sub-kegiatan (dana yang dibutuhkan): its rincian's jumlah, sebelum and
    setelah perubahan on a DPPA."""
    def rupiah(value: int | None) -> str | None:
        return f"Rp {format_rupiah(value)}" if value is not None else None
    if not perubahan:
        return rupiah(section["sebelum"])
    sides = [(rupiah(section["sebelum"]), "sebelum perubahan"), (rupiah(section["setelah"]), "setelah perubahan")]
    return "; ".join(f"{amount} {words}" for amount, words in sides if amount) or None


def stages_from(stage: Stage) -> list[Stage]:
    return [stage, *(other for other in Stage if other is not stage)]


def detail(line: LineState, stage: Stage, value: Callable[[StageFigures], str | None]) -> str | None:
    """A line's detail (lokasi, sumber dana) at ``stage``, else at the first stage that states it."""
    return next((found for each in stages_from(stage) if (figures := line.figures(each)) and (found := value(figures))),
                None)


def indicator_text(line: LineState | None, stage: Stage, role: Role) -> str | None:
    """'Jumlah dokumen ... ; target 2 Dokumen': a line's indicator of one role and its target."""
    if line is None:
        return None
    for each in stages_from(stage):
        figures = line.figures(each)
        if figures is None or not figures.indicators.get(role):
            continue
        target = target_json(figures.targets.get(role))
        text = figures.indicators[role]
        return f"{text}; target {target_text(target)}" if target else text
    return None
