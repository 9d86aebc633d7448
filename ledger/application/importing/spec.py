"""What a document to import is: its fields and its tables (read from document.toml or given as options)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ledger.basis import Stage
from ledger.document import DocumentKind


@dataclass(frozen=True)
class TableSpec:
    id: str
    path: Path
    layout: str
    stage: Stage | None = None
    sheet: str | None = None
    seed_lines: tuple[int, int] | None = None


@dataclass(frozen=True)
class DocumentSpec:
    kind: DocumentKind
    judul: str
    tanggal: date
    opd: str
    tahun: int
    penandatangan: str
    nomor: str = ""
    jabatan: str | None = None
    sumber: str | None = None
    tables: tuple[TableSpec, ...] = field(default_factory=tuple)

    @property
    def reference(self) -> str:
        return f"{self.judul} ({self.tanggal.isoformat()})"
