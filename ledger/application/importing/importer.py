"""Import one document: register it, open and match its lines, record every figure.

Everything happens in one unit of work, saved in one transaction: a bad cell anywhere
leaves the ledger unchanged. Each table's rows go to its layout's recorder (``layouts``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ledger.application.importing.context import ImportContext
from ledger.application.importing.layouts import LAYOUTS
from ledger.application.importing.reader import read_table
from ledger.application.importing.resolve import RowLine, assign_parents, open_row_lines, resolve_lines, row_line
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import DocumentSpec, TableSpec
from ledger.application.unit_of_work import UnitOfWork
from ledger.bukti import berkas_of_all
from ledger.document import DocumentRegistered, PlanningDocument
from ledger.errors import AlreadyRecorded, ImportFailed, ImportRejected, LedgerError, rejected
from ledger.events import DomainEvent
from ledger.line_events import KodeRecorded, LineOpened
from ledger.plan import Plan

MAX_ERRORS = 50  # an import listing this many bad rows stops looking for more
PROGRESS_EVERY = 250  # rows between two progress reports


@dataclass
class ImportSummary:
    """What an import recorded, counted from its events."""

    document: str
    lines_opened: int = 0
    kodes_recorded: int = 0
    rows: int = 0
    events: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0  # evidence files the document carries (its scan, ...)

    @classmethod
    def of(cls, events: list[DomainEvent]) -> ImportSummary:
        registered = next(e for e in events if isinstance(e, DocumentRegistered))
        rows = {(e.basis.source.table, e.basis.source.row) for e in events if e.basis.source.row}
        return cls(
            document=f"{registered.judul} ({registered.tanggal.isoformat()})",
            lines_opened=sum(isinstance(e, LineOpened) for e in events),
            # A kode printed on a new line comes with its opening; one printed for a line
            # known only by name is recorded by its own event. Both count.
            kodes_recorded=sum(isinstance(e, KodeRecorded) or (isinstance(e, LineOpened) and e.kode is not None)
                               for e in events),
            rows=len(rows), events=len(events),
            tables=dict(Counter(str(table) for table, _ in sorted(rows, key=str))),
            files=len(registered.berkas),
        )


class DocumentImport:
    def __init__(self, uow: UnitOfWork, spec: DocumentSpec, tables: dict[TableSpec, list[Row]]) -> None:
        self.context = ImportContext(uow, spec)
        self.uow = uow
        self.spec = spec
        self.tables = tables

    def run(self) -> None:
        self.register_document()
        plan = self.uow.plan_or_open(self.spec.opd, self.spec.tahun, self.context.document_basis())
        # A row whose line cannot be read (its level, name or kode) leaves the lines unknown: the
        # rows are then only read for their other bad fields (``Layout.check``), nothing recorded.
        lines_known = self.open_lines(plan)
        # Every bad field of every row is reported, not only the first; nothing is saved when there is any.
        errors: list[ImportFailed] = []
        total, done = sum(len(rows) for rows in self.tables.values()), 0
        for table, rows in self.tables.items():
            layout = LAYOUTS[table.layout]
            for row in rows:
                done += 1
                if done % PROGRESS_EVERY == 0 or done == total:
                    self.uow.progress("rows", done, total)
                raised: ImportFailed | None = None
                try:
                    if lines_known:
                        layout.recorder(self.context, plan, table, row)
                    elif layout.check is not None:
                        layout.check(row)
                except ImportFailed as error:
                    raised = error
                except LedgerError as error:  # a domain rule refused the row's figure: say which row
                    raised = None if row.problems else ImportFailed(str(table.path), row.row, None, str(error))
                errors.extend(row_errors(row, raised))
                if len(errors) >= MAX_ERRORS:
                    raise rejected(errors, more=True)
        if errors:
            raise rejected(errors)

    def register_document(self) -> None:
        existing = self.uow.get(PlanningDocument, self.context.doc_id)
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
            jabatan=self.spec.jabatan, sumber=self.spec.sumber, tanggal_dasar=self.spec.tanggal_dasar,
            tempat=self.spec.tempat, pangkat=self.spec.pangkat, nip=self.spec.nip,
            basis=self.context.document_basis(), berkas=berkas_of_all(self.spec.lampiran),
            zona_waktu=self.spec.zona_waktu,
        ))

    def row_line(self, table: str, row: Row) -> RowLine | None:
        """The row's line, or None (a total row; or a bad one, its problems noted on the row)."""
        try:
            return row_line(table, row, self.spec.codes)
        except (ImportFailed, ImportRejected) as error:
            for problem in problems_of(error):
                row.note(problem)
        return None

    def assign_parents(self, table: TableSpec, table_lines: list[RowLine], key_by_kode: dict[str, str]) -> None:
        """Each line's parent; a row whose parent is missing has it noted (with its other bad fields)."""
        try:
            assign_parents(table_lines, key_by_kode)
        except (ImportFailed, ImportRejected) as error:
            rows = {row.row: row for row in self.tables[table]}
            for problem in problems_of(error):
                rows[str(problem.row)].note(problem)

    def has_problems(self) -> bool:
        return any(row.problems for rows in self.tables.values() for row in rows)

    def open_lines(self, plan: Plan) -> bool:
        """Match or open the line of every row; False (nothing opened) when a row's line cannot be read."""
        all_lines: list[RowLine] = []
        per_table: list[tuple[TableSpec, list[RowLine]]] = []
        for table, rows in self.tables.items():
            if not LAYOUTS[table.layout].opens_lines:
                continue
            table_lines = [line for row in rows if (line := self.row_line(table.id, row)) is not None]
            per_table.append((table, table_lines))
            all_lines.extend(table_lines)
            for line in table_lines:
                self.context.lines[(table.id, line.row.row)] = line
        if self.has_problems():
            return False
        resolve_lines(plan, all_lines)
        key_by_kode = dict(plan.by_kode)
        key_by_kode.update({str(item.kode): item.key for item in all_lines if item.kode is not None})
        for table, table_lines in per_table:
            self.assign_parents(table, table_lines, key_by_kode)
        if self.has_problems():
            return False
        table_by_id = {t.id: t for t in self.tables}
        open_row_lines(self.uow, plan, all_lines, lambda line, printed: self.context.basis(
            table_by_id[line.table], line.row, (line.row.get("kode") or None) if printed else None))
        return True


def problems_of(error: ImportFailed | ImportRejected) -> list[ImportFailed]:
    return error.errors if isinstance(error, ImportRejected) else [error]


def row_errors(row: Row, raised: ImportFailed | None) -> list[ImportFailed]:
    """Every bad field of one row: those read as bad (``Row.problems``), then what its recorder
    refused, unless that names a field already listed (a consequence of it)."""
    fields = {problem.field for problem in row.problems}
    return [*row.problems, *([raised] if raised is not None and raised.field not in fields else [])]


def read_document(spec: DocumentSpec) -> dict[TableSpec, list[Row]]:
    tables: dict[TableSpec, list[Row]] = {}
    errors: list[ImportFailed] = []
    for table in spec.tables:
        try:
            tables[table] = read_table(table)
        except (ImportFailed, ImportRejected) as error:  # ImportRejected: several bad cells of one line
            errors.extend(problems_of(error))
    if errors:
        raise rejected(errors)
    return tables


def import_into(uow: UnitOfWork, spec: DocumentSpec) -> None:
    DocumentImport(uow, spec, read_document(spec)).run()
