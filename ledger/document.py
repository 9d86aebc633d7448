"""A planning document: RKPD draft, Renja, Rencana Aksi, Renja Perubahan, DPA/DPPA, pergeseran."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from ledger.basis import Basis
from ledger.events import Aggregate, DomainEvent, stable_id


class DocumentKind(StrEnum):
    RKPD_DRAFT = "rkpd_draft"
    RENJA = "renja"
    RENCANA_AKSI = "rencana_aksi"
    RENJA_PERUBAHAN = "renja_perubahan"
    DPA = "dpa"
    DPPA = "dppa"
    PERGESERAN = "pergeseran"


def document_id(opd: str, tahun: int, kind: DocumentKind, tanggal: date, nomor: str) -> UUID:
    return stable_id("document", opd, tahun, kind.value, tanggal.isoformat(), nomor)


class DocumentRegistered(Aggregate.Created):
    kind: DocumentKind
    nomor: str
    judul: str
    tanggal: date
    opd: str
    tahun: int
    penandatangan: str
    jabatan: str | None = None
    sumber: str | None = None


class PlanningDocument(Aggregate):
    def __init__(self) -> None:
        self.registration: DocumentRegistered | None = None

    @classmethod
    def register(cls, *, kind: DocumentKind, nomor: str, judul: str, tanggal: date, opd: str, tahun: int,
                 penandatangan: str, basis: Basis, jabatan: str | None = None, sumber: str | None = None) -> PlanningDocument:
        return cls._create(
            DocumentRegistered, id=document_id(opd, tahun, kind, tanggal, nomor), kind=kind, nomor=nomor,
            judul=judul, tanggal=tanggal, opd=opd, tahun=tahun, penandatangan=penandatangan, jabatan=jabatan,
            sumber=sumber, basis=basis,
        )

    def when(self, event: DomainEvent) -> None:
        if isinstance(event, DocumentRegistered):
            self.registration = event

    @property
    def reference(self) -> str:
        reg = self.registration
        assert reg is not None
        return f"{reg.judul} ({reg.tanggal.isoformat()})"
