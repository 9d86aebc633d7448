"""The state of a budget line, as its events leave it: a stage's figures, statements, shifts,
komponen and targets. ``ledger.line_fold`` folds the events into it; every reader (the write
model, the point-in-time views, the read model) gets the state from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ledger.basis import PLAN_STAGES, Source, Stage
from ledger.kode import Level
from ledger.line_values import RincianItem, Role, TwSlot
from ledger.money import Rupiah
from ledger.target import Target


@dataclass
class PaguStatement:
    version: int
    event_type: str
    rupiah: Rupiah
    effective_on: date
    source: Source
    corrected_by: int | None = None


@dataclass(frozen=True)
class NegativeBalance:
    """A figure that stood below zero from ``day`` on (valid time): a pagu, a triwulan amount
    (``tw2``) or a triwulan target (``tw2 target``) of one stage. The domain refuses writes that
    make one; a ledger filled by other means may still hold one, and `renja check` reports it."""

    day: date
    stage: Stage
    what: str
    value: Decimal


@dataclass
class ShiftLeg:
    """One side of a pergeseran, kept so the two sides can be paired by ``shift_id``."""

    shift_id: str
    delta: int
    counterpart: str
    source: Source
    # Account pergeseran only (RekeningShifted): where the accounts part, and the decision.
    scope: str | None = None
    authority: str | None = None
    decision: str | None = None
    effective_on: date | None = None
    recorded_by: str | None = None
    reason: str | None = None


@dataclass
class RincianEntry:
    """A komponen of an account at a stage, with where it is printed."""

    ke: int
    item: RincianItem
    source: Source
    printed_change: int | None = None


@dataclass
class RekeningTotal:
    """A sub-kegiatan's total at a higher account level, as a form prints it."""

    rekening: str
    nama: str | None
    rupiah: Rupiah
    source: Source


@dataclass(frozen=True)
class IndicatorRow:
    role: Role
    ke: int
    text: str | None
    target: Target | None


@dataclass
class StageFigures:
    pagu: Rupiah | None = None
    pagu_version: int | None = None
    targets: dict[Role, Target] = field(default_factory=dict)
    target_statements: list[tuple[Role, Target, Source]] = field(default_factory=list)
    indicators: dict[Role, str] = field(default_factory=dict)
    # Every indicator and target by role and number (ke); ``indicators``/``targets`` hold the first of each role.
    indicators_by: dict[Role, dict[int, str]] = field(default_factory=dict)
    targets_by: dict[Role, dict[int, Target]] = field(default_factory=dict)
    triwulan: list[TwSlot] | None = None
    lokasi: str | None = None
    sumber_dana: str | None = None
    catatan: str | None = None
    statements: list[PaguStatement] = field(default_factory=list)
    shifted: int = 0
    shifts: list[ShiftLeg] = field(default_factory=list)
    triwulan_source: Source | None = None
    rincian: list[RincianEntry] = field(default_factory=list)  # an account's komponen (level rekening)
    rincian_statement: str | None = None  # the document and table that stated them
    rekening_totals: dict[str, RekeningTotal] = field(default_factory=dict)  # a sub-kegiatan's, by kode rekening
    rekening_totals_statement: str | None = None  # the document and table that printed them
    withdrawn: bool = False  # the line was withdrawn at this stage (LineWithdrawn) and not restored since

    def indicator_rows(self) -> list[IndicatorRow]:
        """Every indicator of the stage with its target, role by role, in the order printed."""
        rows = []
        for role in Role:
            texts, targets = self.indicators_by.get(role, {}), self.targets_by.get(role, {})
            rows += [IndicatorRow(role, ke, texts.get(ke), targets.get(ke)) for ke in sorted(texts.keys() | targets.keys())]
        return rows

    def indicator(self, role: Role, ke: int = 1) -> str | None:
        return self.indicators_by.get(role, {}).get(ke)

    def target(self, role: Role, ke: int = 1) -> Target | None:
        return self.targets_by.get(role, {}).get(ke)


@dataclass
class LineState:
    line_id: str = ""
    opd: str = ""
    tahun: int = 0
    key: str = ""
    kode: str | None = None
    level: Level = Level.SUB_KEGIATAN
    nama: str = ""
    parent_key: str | None = None
    penanggung_jawab: str | None = None
    forward_tahun: int | None = None
    stages: dict[Stage, StageFigures] = field(default_factory=dict)
    realisasi: dict[str, Decimal | None] = field(default_factory=dict)
    realisasi_indikator: str | None = None  # the indicator the evaluation table (Tabel 2.1) prints
    names: list[str] = field(default_factory=list)  # every name the documents print for the line
    nama_order: tuple[int, str, int, str, int] = (9, "", 0, "", 0)  # the statement that gave ``nama``
    version: int = 0
    last_order: tuple[int, str, int, str, int] = (0, "", 0, "", 0)
    in_force: bool = False  # some statement about the line (not only its identity) is in force
    negatives: list[NegativeBalance] = field(default_factory=list)  # as of the end of each date it was below zero
    # An account as a view names it, <its sub-kegiatan's kode>/<kode rekening>, when its key was
    # made while the sub-kegiatan had only a name (so the name does not depend on loading order).
    shown_as: str | None = None
    sipd_facts: tuple[str, ...] = ()  # what the last SIPD sync stated of the line (SipdFactsStated)

    @property
    def reference(self) -> str:
        """How a person names the line: its kode (its key until a kode is known); an account by
        its sub-kegiatan and kode rekening, the key, since one kode rekening recurs under many."""
        if self.level is Level.REKENING:
            return self.shown_as or self.key
        return self.kode or self.key

    def stage(self, stage: Stage) -> StageFigures:
        # Not setdefault: that builds a StageFigures (a score of fields) on every call, and
        # the fold asks for a stage once per event.
        figures = self.stages.get(stage)
        if figures is None:
            figures = self.stages[stage] = StageFigures()
        return figures

    def figures(self, stage: Stage) -> StageFigures | None:
        return self.stages.get(stage)

    def pagu(self, stage: Stage) -> Rupiah | None:
        figures = self.stages.get(stage)
        return figures.pagu if figures else None

    @property
    def stage_in_force(self) -> Stage | None:
        """The latest plan stage that has a pagu: perubahan over murni."""
        for stage in reversed(PLAN_STAGES):
            if self.pagu(stage) is not None:
                return stage
        return None

    @property
    def pagu_in_force(self) -> Rupiah | None:
        stage = self.stage_in_force
        return self.pagu(stage) if stage else None

    # --- a line a later document does not restate (docs/stages.md) ------------------------------
    # A perubahan that does not restate a line does not take it out of the plan: its murni stays
    # in force (projections.hierarchy.plan_in_force counts it; Tabel 3.2 prints its details so).

    def figures_stage(self, stage: Stage) -> Stage:
        """Where a form of ``stage`` reads the line's targets, indicators, lokasi ...: a line the
        perubahan does not mention at all is printed with its murni figures."""
        if stage is Stage.PERUBAHAN and Stage.PERUBAHAN not in self.stages and Stage.MURNI in self.stages:
            return Stage.MURNI
        return stage
