"""What every recorder of an import needs: the unit of work, the document, and the basis of a row."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from uuid import UUID

from ledger.application.importing.resolve import RowLine
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import DocumentSpec, TableSpec
from ledger.application.unit_of_work import UnitOfWork
from ledger.basis import SEBELUM_TABLE, Basis, Source
from ledger.document import document_id
from ledger.line_events import Role


@dataclass
class ImportContext:
    uow: UnitOfWork
    spec: DocumentSpec
    lines: dict[tuple[str, str], RowLine] = field(default_factory=dict)  # (table id, row) -> its line
    first_rows: dict[tuple[str, str], Row] = field(default_factory=dict)  # (table id, line key) -> its first row
    indicators: dict[tuple[str, str, Role], int] = field(default_factory=dict)  # (table, line, role) -> count
    komponen: dict[tuple[str, str], int] = field(default_factory=dict)  # (table, account) -> count

    def next_komponen(self, table: TableSpec, key: str) -> int:
        """The number of an account's next komponen row in this table: its before and after
        figures share it, so a before/after form's two sides pair by number."""
        number = self.komponen[(table.id, key)] = self.komponen.get((table.id, key), 0) + 1
        return number

    def first_row(self, table: TableSpec, key: str, row: Row) -> Row | None:
        """The row that printed this line earlier in the table, or None (and this row is the first)."""
        first = self.first_rows.setdefault((table.id, key), row)
        return None if first is row else first

    def indicator_numbers(self, table: TableSpec, key: str, row: Row,
                          columns: tuple[tuple[str, str, Role], ...], suffix: str) -> dict[Role, int]:
        """For each role the row fills (before or after columns), the number of its indicator
        within the line's rows of this table: 1 on the first row, then 2, 3 ..."""
        numbers = {}
        for text, target, role in columns:
            if any(row.get(column + end) for column in (text, target) for end in ("", suffix)):
                numbers[role] = self.indicators[(table.id, key, role)] = self.indicators.get((table.id, key, role), 0) + 1
        return numbers

    @cached_property  # one document per context; asked for by every figure's basis
    def doc_id(self) -> UUID:
        spec = self.spec
        return document_id(spec.opd, spec.tahun, spec.kind, spec.tanggal, spec.nomor)

    def basis(self, table: TableSpec, row: Row | None, printed: str | None = None) -> Basis:
        source = Source(document=self.spec.reference, document_id=self.doc_id, kind=self.spec.kind.value,
                        table=table.id, row=row.row if row else None, printed=printed)
        return self.uow.basis(effective_on=self.spec.tanggal, reason=f"stated in {self.spec.judul}", source=source)

    def basis_sebelum(self, table: TableSpec, row: Row | None, printed: str | None = None) -> Basis:
        """A *sebelum perubahan* figure of a before/after form: effective when the earlier decision
        took effect if the manifest gives that date, else restated by this document on its date."""
        spec = self.spec
        source = Source(document=spec.reference, document_id=self.doc_id, kind=spec.kind.value,
                        table=table.id + SEBELUM_TABLE, row=row.row if row else None, printed=printed)
        reason = (f"stated as 'sebelum perubahan' in {spec.judul}" if table.tanggal_sebelum else
                  f"restated by {spec.judul} as 'sebelum perubahan' (the date of the earlier decision is not given)")
        return self.uow.basis(effective_on=table.tanggal_sebelum or spec.tanggal, reason=reason, source=source)

    def document_basis(self) -> Basis:
        source = Source(document=self.spec.reference, document_id=self.doc_id, kind=self.spec.kind.value,
                        printed=self.spec.sumber)
        return self.uow.basis(effective_on=self.spec.tanggal, reason="document registered", source=source)
