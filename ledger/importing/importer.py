"""Import one document: register it, open and match its lines, record every figure.

Everything happens in one unit of work, saved in one transaction: a bad cell anywhere
leaves the ledger unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ledger.application import UnitOfWork
from ledger.basis import Basis, Source, Stage
from ledger.document import PlanningDocument, document_id
from ledger.errors import AlreadyRecorded, InvalidValue
from ledger.events import name_key
from ledger.importing.manifest import DocumentSpec, TableSpec
from ledger.importing.reader import Row, read_table
from ledger.importing.resolve import RowLine, assign_parents, resolve_lines, row_line
from ledger.line import BudgetLine
from ledger.line_events import Role, TwSlot
from ledger.matching import named
from ledger.money import Rupiah
from ledger.numbers import is_empty, parse_decimal
from ledger.plan import Plan
from ledger.target import Satuan, Target, parse_satuan


@dataclass
class ImportSummary:
    document: str
    lines_opened: int = 0
    kodes_recorded: int = 0
    rows: int = 0
    events: int = 0
    tables: dict[str, int] = field(default_factory=dict)


def infer_satuan(indicator: str) -> Satuan | None:
    """The unit an indicator names: '(Orang)' at its end, or 'Persentase ...' meaning %."""
    found = re.findall(r"\(([^()]*)\)", indicator)
    for candidate in reversed(found):
        cleaned = candidate.strip(" '\"")
        if cleaned in ("%", "'%", "''%"):
            return Satuan.PERSEN
        try:
            return parse_satuan(cleaned)
        except InvalidValue:
            continue
    if indicator.strip().lower().startswith("persentase"):
        return Satuan.PERSEN
    return None


class DocumentImport:
    def __init__(self, uow: UnitOfWork, spec: DocumentSpec, tables: dict[TableSpec, list[Row]]) -> None:
        self.uow = uow
        self.spec = spec
        self.tables = tables
        self.summary = ImportSummary(spec.reference)
        self.doc_id = document_id(spec.opd, spec.tahun, spec.kind, spec.tanggal, spec.nomor)
        self.lines: dict[tuple[str, str], RowLine] = {}

    # --- basis -------------------------------------------------------------------
    def basis(self, table: TableSpec, row: Row | None, printed: str | None = None) -> Basis:
        source = Source(document=self.spec.reference, document_id=self.doc_id, table=table.id,
                        row=row.row if row else None, printed=printed)
        return self.uow.app.basis(effective_on=self.spec.tanggal, reason=f"stated in {self.spec.judul}", source=source)

    # --- steps -------------------------------------------------------------------
    def run(self) -> ImportSummary:
        self.register_document()
        plan = self.uow.plan_or_open(self.spec.opd, self.spec.tahun, self.document_basis())
        self.open_lines(plan)
        for table, rows in self.tables.items():
            handler = getattr(self, f"record_{table.layout}")
            for row in rows:
                handler(plan, table, row)
            self.summary.tables[table.id] = len(rows)
            self.summary.rows += len(rows)
        self.summary.events = sum(len(a.pending_events) for a in self.uow.pending())
        return self.summary

    def document_basis(self) -> Basis:
        source = Source(document=self.spec.reference, document_id=self.doc_id, printed=self.spec.sumber)
        return self.uow.app.basis(effective_on=self.spec.tanggal, reason="document registered", source=source)

    def register_document(self) -> None:
        existing = self.uow.get(PlanningDocument, self.doc_id)
        if existing is not None and existing.registration is not None:
            reg = existing.registration
            raise AlreadyRecorded(
                f"{self.spec.reference} is already in the ledger (recorded {reg.timestamp:%Y-%m-%d %H:%M} UTC by "
                f"{reg.basis.recorded_by}); importing it again would duplicate its figures. Correct figures with "
                "`renja revise-pagu` / `renja correct` instead"
            )
        self.uow.track(PlanningDocument.register(
            kind=self.spec.kind, nomor=self.spec.nomor, judul=self.spec.judul, tanggal=self.spec.tanggal,
            opd=self.spec.opd, tahun=self.spec.tahun, penandatangan=self.spec.penandatangan,
            jabatan=self.spec.jabatan, sumber=self.spec.sumber, basis=self.document_basis(),
        ))

    def open_lines(self, plan: Plan) -> None:
        all_lines: list[RowLine] = []
        per_table: list[list[RowLine]] = []
        for table, rows in self.tables.items():
            if table.layout != "budget":
                continue
            table_lines = [line for row in rows if (line := row_line(table.id, row)) is not None]
            per_table.append(table_lines)
            all_lines.extend(table_lines)
            for line in table_lines:
                self.lines[(table.id, line.row.row)] = line
        resolve_lines(plan, all_lines)
        key_by_kode = dict(plan.by_kode)
        key_by_kode.update({str(item.kode): item.key for item in all_lines if item.kode is not None})
        for table_lines in per_table:
            assign_parents(table_lines, key_by_kode)
        table_by_id = {t.id: t for t in self.tables}
        for line in sorted(all_lines, key=lambda row_line: row_line.level.rank):
            basis = self.basis(table_by_id[line.table], line.row, line.row.get("kode") or None)
            if line.is_new:
                self.uow.open_line(plan, key=line.key, kode=str(line.kode) if line.kode else None, level=line.level,
                                   nama=line.nama, parent_key=line.parent_key, basis=basis)
                self.summary.lines_opened += 1
            elif line.record_kode and line.kode is not None:
                budget_line = self.uow.line(plan, line.key)
                if budget_line.state.kode is None:
                    self.uow.record_kode(plan, budget_line, line.kode, basis)
                    self.summary.kodes_recorded += 1

    # --- budget layout -------------------------------------------------------------
    def record_budget(self, plan: Plan, table: TableSpec, row: Row) -> None:
        stage = table.stage
        assert stage is not None
        if row.get("level") == "total":
            self.record_total(plan, table, row, stage)
            return
        line = self.uow.line(plan, self.lines[(table.id, row.row)].key)
        own_indicator = row.get("indikator")
        default = infer_satuan(own_indicator) if own_indicator else None
        own_target = self.target(row, "target", default)
        unit = own_target.satuan if own_target else default
        self.record_texts(line, table, row, stage)
        if own_target:
            line.set_target(stage, Role.OWN, own_target, self.basis(table, row, row.get("target")))
        for column, role, fallback in (("target_program", Role.PROGRAM, infer_satuan(row.get("indikator_program"))),
                                       ("target_kegiatan", Role.KEGIATAN, infer_satuan(row.get("indikator_kegiatan"))),
                                       ("target_akhir", Role.YEAR_END, unit)):
            target = self.target(row, column, fallback)
            if target:
                line.set_target(stage, role, target, self.basis(table, row, row.get(column)))
        pagu = self.rupiah(row, "pagu")
        if pagu is not None:
            line.set_pagu(stage, pagu, self.basis(table, row, row.get("pagu")))
        slots = tuple(TwSlot(target=self.target(row, f"tw{n}_target", unit), rupiah=self.rupiah(row, f"tw{n}_pagu"))
                      for n in range(1, 5))
        if any(slot.target is not None or slot.rupiah is not None for slot in slots):
            printed = " | ".join(row.get(f"tw{n}_pagu") or "-" for n in range(1, 5))
            line.allocate_triwulan(stage, (slots[0], slots[1], slots[2], slots[3]), self.basis(table, row, printed))
        if row.get("penanggung_jawab"):
            line.assign_penanggung_jawab(row.get("penanggung_jawab"), self.basis(table, row))
        self.record_forward(line, table, row)

    def record_texts(self, line: BudgetLine, table: TableSpec, row: Row, stage: Stage) -> None:
        for column, role in (("indikator", Role.OWN), ("indikator_program", Role.PROGRAM),
                             ("indikator_kegiatan", Role.KEGIATAN)):
            if row.get(column):
                line.set_indicator(stage, role, row.get(column), self.basis(table, row))
        line.state_details(stage, self.basis(table, row), lokasi=row.get("lokasi") or None,
                           sumber_dana=row.get("sumber_dana") or None, catatan=row.get("catatan") or None)

    def record_forward(self, line: BudgetLine, table: TableSpec, row: Row) -> None:
        indicator = row.get("pm_indikator") or None
        target = self.target(row, "pm_target", infer_satuan(indicator) if indicator else None)
        rupiah = self.rupiah(row, "pm_pagu")
        if indicator or target or rupiah is not None:
            line.set_forward_estimate(self.spec.tahun + 1, self.basis(table, row, row.get("pm_pagu") or None),
                                      indikator=indicator, target=target, rupiah=rupiah)

    def record_total(self, plan: Plan, table: TableSpec, row: Row, stage: Stage) -> None:
        label = row.get("nama") or "total"
        triwulan = tuple(self.rupiah(row, f"tw{n}_pagu") for n in range(1, 5))
        has_tw = any(t is not None for t in triwulan)
        plan.state_total(stage, label, self.basis(table, row, row.get("pagu")), rupiah=self.rupiah(row, "pagu"),
                         triwulan=(triwulan[0], triwulan[1], triwulan[2], triwulan[3]) if has_tw else None)
        pm = self.rupiah(row, "pm_pagu")
        if pm is not None:
            plan.state_total(Stage.PRAKIRAAN_MAJU, label, self.basis(table, row, row.get("pm_pagu")), rupiah=pm)

    # --- other layouts ----------------------------------------------------------------
    def record_realisasi(self, plan: Plan, table: TableSpec, row: Row) -> None:
        match = name_key(row.get("nama_baku") or row.get("nama"))
        candidates = named(match, plan.lines.values())
        if len(candidates) != 1:
            raise row.fail("nama", f"matches {len(candidates)} lines of the plan; expected exactly one "
                                   "(give nama_baku with the line's name)")
        line = self.uow.line(plan, candidates[0].key)
        columns = ("target_renstra_2023", "realisasi_2023", "target_renja", "realisasi_tw2",
                   "tingkat_realisasi_tw2", "target_renja_akhir", "realisasi_akhir", "tingkat_capaian_renstra")
        figures: dict[str, Decimal | None] = {c: self.decimal(row, c) for c in columns}
        line.record_realisasi(figures, self.basis(table, row, " | ".join(row.get(c) or "-" for c in columns)))

    def record_sasaran(self, plan: Plan, table: TableSpec, row: Row) -> None:
        plan.state_sasaran(self.basis(table, row, row.get("target") or None), tujuan=row.get("tujuan") or None,
                           indikator_tujuan=row.get("indikator_tujuan") or None, sasaran=row.get("sasaran") or None,
                           indikator=row.get("indikator_sasaran") or None, target=row.get("target") or None)

    def record_indikator_tahunan(self, plan: Plan, table: TableSpec, row: Row) -> None:
        try:
            tahun = int(row.get("tahun"))
        except ValueError:
            raise row.fail("tahun", f"{row.get('tahun')!r} is not a year") from None
        plan.state_indikator_tahunan(row.get("indikator"), row.get("jenis"), tahun, self.decimal(row, "nilai"),
                                     self.basis(table, row, row.get("nilai") or None))

    # --- cells ---------------------------------------------------------------------------
    def rupiah(self, row: Row, column: str) -> Rupiah | None:
        text = row.get(column)
        if is_empty(text):
            return None
        try:
            return Rupiah.parse(text)
        except InvalidValue as error:
            raise row.fail(column, str(error)) from None

    def decimal(self, row: Row, column: str) -> Decimal | None:
        text = row.get(column)
        if is_empty(text):
            return None
        try:
            return parse_decimal(text)
        except InvalidValue as error:
            raise row.fail(column, str(error)) from None

    def target(self, row: Row, column: str, default: Satuan | None) -> Target | None:
        text = row.get(column)
        if is_empty(text):
            return None
        try:
            return Target.parse(text, default_satuan=default)
        except InvalidValue as error:
            raise row.fail(column, str(error)) from None


def read_document(spec: DocumentSpec) -> dict[TableSpec, list[Row]]:
    return {table: read_table(table) for table in spec.tables}


def import_into(uow: UnitOfWork, spec: DocumentSpec) -> ImportSummary:
    return DocumentImport(uow, spec, read_document(spec)).run()

