"""What every recorder of an import needs: the unit of work, the document, and the basis of a row."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from ledger.application.importing.resolve import RowLine
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import DocumentSpec, TableSpec
from ledger.application.unit_of_work import UnitOfWork
from ledger.basis import Basis, Source
from ledger.document import document_id


@dataclass
class ImportContext:
    uow: UnitOfWork
    spec: DocumentSpec
    lines: dict[tuple[str, str], RowLine] = field(default_factory=dict)  # (table id, row) -> its line

    @property
    def doc_id(self) -> UUID:
        spec = self.spec
        return document_id(spec.opd, spec.tahun, spec.kind, spec.tanggal, spec.nomor)

    def basis(self, table: TableSpec, row: Row | None, printed: str | None = None) -> Basis:
        source = Source(document=self.spec.reference, document_id=self.doc_id, kind=self.spec.kind.value,
                        table=table.id, row=row.row if row else None, printed=printed)
        return self.uow.basis(effective_on=self.spec.tanggal, reason=f"stated in {self.spec.judul}", source=source)

    def document_basis(self) -> Basis:
        source = Source(document=self.spec.reference, document_id=self.doc_id, kind=self.spec.kind.value,
                        printed=self.spec.sumber)
        return self.uow.basis(effective_on=self.spec.tanggal, reason="document registered", source=source)
