"""What a document to import is: its fields and its tables (read from document.toml or given as options)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ledger.basis import Stage
from ledger.bukti import Lampiran
from ledger.document import DocumentKind
from ledger.kodefikasi import Kodefikasi, kodefikasi_for


@dataclass(frozen=True)
class TableSpec:
    id: str
    path: Path
    layout: str
    stage: Stage | None = None
    sheet: str | None = None
    seed_lines: tuple[int, int] | None = None
    # A before/after form: its *_sebelum columns are statements of this stage (the one in force
    # before), effective on tanggal_sebelum when the form or the user gives it, else on the
    # document's date, marked as restated by this document.
    stage_sebelum: Stage | None = None
    tanggal_sebelum: date | None = None


@dataclass(frozen=True)
class DocumentSpec:
    kind: DocumentKind
    judul: str
    tanggal: date
    opd: str
    tahun: int
    penandatangan: str | None = None
    nomor: str = ""
    jabatan: str | None = None
    sumber: str | None = None
    tanggal_dasar: str | None = None  # how tanggal was established when no signing date is printed
    tempat: str | None = None  # signature block: place of signing, rank, NIP (as printed)
    pangkat: str | None = None
    nip: str | None = None
    tables: tuple[TableSpec, ...] = field(default_factory=tuple)
    kodefikasi: Kodefikasi | None = None  # as the document states it; None: by its tahun (``codes``)
    # The document's own scan (the signed PDF, ...) and what goes with it: document.toml's
    # ``berkas`` and `renja import --berkas`, kept as evidence (ledger.bukti) named by its registration.
    lampiran: tuple[Lampiran, ...] = ()
    zona_waktu: str | None = None  # the office's zone (WIB, WITA, WIT): how its recording times are shown

    @property
    def codes(self) -> Kodefikasi:
        """The kodefikasi its rows are read in: the one it states, else its plan year's."""
        return kodefikasi_for(self.tahun, self.kodefikasi)

    @property
    def reference(self) -> str:
        return f"{self.judul} ({self.tanggal.isoformat()})"
