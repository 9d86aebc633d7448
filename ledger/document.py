"""A planning document: RKPD draft, Renja, Rencana Aksi, Renja Perubahan, DPA/DPPA, pergeseran."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from ledger.basis import Basis
from ledger.bukti import Berkas
from ledger.events import Aggregate, DomainEvent, stable_id
from ledger.i18n import N_, _


class DocumentKind(StrEnum):
    """The documents of the planning and budgeting cycle (Permendagri 86/2017, 77/2020)."""

    RKPD_RANCANGAN = "rkpd_rancangan"
    RKPD = "rkpd"
    RKPD_PERUBAHAN = "rkpd_perubahan"
    KUA_PPAS = "kua_ppas"
    KUA_PPAS_PERUBAHAN = "kua_ppas_perubahan"
    RENJA = "renja"
    RENJA_PERUBAHAN = "renja_perubahan"
    RKA = "rka"
    RKA_PERUBAHAN = "rka_perubahan"  # RKPA: Rencana Kerja dan Perubahan Anggaran
    DPA = "dpa"
    DPPA = "dppa"
    RENCANA_AKSI = "rencana_aksi"
    ANGGARAN_KAS = "anggaran_kas"  # the monthly cash plan of a DPA/DPPA
    LRA = "lra"  # Laporan Realisasi Anggaran: money spent by period
    EVALUASI_RENJA = "evaluasi_renja"  # the evaluation of the Renja per triwulan (realisasi of kinerja and money)
    PERGESERAN = "pergeseran"
    SIPD = "sipd"  # a sync of SIPD's tables (renja sipd sync): what SIPD said at one instant
    RALAT = "ralat"  # an erratum: corrects a document of the same date

    @classmethod
    def _missing_(cls, value: object) -> DocumentKind | None:
        return _ALIASES.get(str(value).strip().lower())

    @property
    def label(self) -> str:
        """The kind as a person names it, in the active language (the value is what is typed and stored)."""
        return _(_KIND_LABELS[self])

    @property
    def precedence(self) -> int:
        """On one date, statements apply in this order and the later prevails: the cycle
        goes from the regency's ceilings to the office's plan, its budget, its execution
        plan, then shifts and errata. A command (an explicit decision) comes after all."""
        return _PRECEDENCE[self]


# Each kind's name for people, one place: the CLI and the web print these, never the value.
_KIND_LABELS = {
    DocumentKind.RKPD_RANCANGAN: N_("Draft RKPD"), DocumentKind.RKPD: N_("RKPD"),
    DocumentKind.RKPD_PERUBAHAN: N_("Revised RKPD"), DocumentKind.KUA_PPAS: N_("KUA-PPAS"),
    DocumentKind.KUA_PPAS_PERUBAHAN: N_("Revised KUA-PPAS"), DocumentKind.RENJA: N_("Renja"),
    DocumentKind.RENJA_PERUBAHAN: N_("Revised Renja"), DocumentKind.RKA: N_("RKA"),
    DocumentKind.RKA_PERUBAHAN: N_("RKPA (revised RKA)"), DocumentKind.DPA: N_("DPA"), DocumentKind.DPPA: N_("DPPA"),
    DocumentKind.RENCANA_AKSI: N_("Rencana Aksi"), DocumentKind.ANGGARAN_KAS: N_("Cash plan (anggaran kas)"),
    DocumentKind.LRA: N_("Budget realisation report (LRA)"), DocumentKind.EVALUASI_RENJA: N_("Renja evaluation"),
    DocumentKind.PERGESERAN: N_("Budget shift (pergeseran)"), DocumentKind.SIPD: N_("SIPD sync"),
    DocumentKind.RALAT: N_("Erratum (ralat)"),
}

_ALIASES = {"rkpd_draft": DocumentKind.RKPD_RANCANGAN, "rkpa": DocumentKind.RKA_PERUBAHAN,
            "rancangan_rkpd": DocumentKind.RKPD_RANCANGAN, "renja_murni": DocumentKind.RENJA}
_PRECEDENCE = {
    DocumentKind.RKPD_RANCANGAN: 10, DocumentKind.RKPD: 11, DocumentKind.RKPD_PERUBAHAN: 12,
    DocumentKind.KUA_PPAS: 20, DocumentKind.KUA_PPAS_PERUBAHAN: 21,
    DocumentKind.RENJA: 30, DocumentKind.RENJA_PERUBAHAN: 31,
    DocumentKind.RKA: 40, DocumentKind.RKA_PERUBAHAN: 41, DocumentKind.SIPD: 45,
    DocumentKind.DPA: 50, DocumentKind.DPPA: 51, DocumentKind.RENCANA_AKSI: 55,
    DocumentKind.ANGGARAN_KAS: 56, DocumentKind.LRA: 57, DocumentKind.EVALUASI_RENJA: 58,
    DocumentKind.PERGESERAN: 60, DocumentKind.RALAT: 70,
}
COMMAND_PRECEDENCE = 90


def precedence_of(kind: str | None, is_command: bool) -> int:
    if is_command:
        return COMMAND_PRECEDENCE
    try:
        return DocumentKind(kind).precedence if kind else 0
    except ValueError:
        return 0


def document_id(opd: str, tahun: int, kind: DocumentKind, tanggal: date, nomor: str) -> UUID:
    return stable_id("document", opd, tahun, kind.value, tanggal.isoformat(), nomor)


class DocumentRegistered(Aggregate.Created):
    kind: DocumentKind
    nomor: str
    judul: str
    tanggal: date
    opd: str
    tahun: int
    penandatangan: str | None  # None when the copy at hand prints no signature
    jabatan: str | None = None
    sumber: str | None = None
    tanggal_dasar: str | None = None  # how ``tanggal`` was read when no signing date is printed
    tempat: str | None = None  # the signature block as printed: place, rank, NIP
    pangkat: str | None = None
    nip: str | None = None
    berkas: tuple[Berkas, ...] = ()  # the document's scan and what goes with it, by hash (ledger.bukti)
    zona_waktu: str | None = None  # the office's time zone (WIB, WITA, WIT) as its document.toml states it


class PlanningDocument(Aggregate):
    def __init__(self) -> None:
        self.registration: DocumentRegistered | None = None

    @classmethod
    def register(cls, *, kind: DocumentKind, nomor: str, judul: str, tanggal: date, opd: str, tahun: int,
                 penandatangan: str | None, basis: Basis, jabatan: str | None = None, sumber: str | None = None,
                 tanggal_dasar: str | None = None, tempat: str | None = None, pangkat: str | None = None,
                 nip: str | None = None, berkas: tuple[Berkas, ...] = (),
                 zona_waktu: str | None = None) -> PlanningDocument:
        return cls._create(
            DocumentRegistered, id=document_id(opd, tahun, kind, tanggal, nomor), kind=kind, nomor=nomor,
            judul=judul, tanggal=tanggal, opd=opd, tahun=tahun, penandatangan=penandatangan, jabatan=jabatan,
            sumber=sumber, tanggal_dasar=tanggal_dasar, tempat=tempat, pangkat=pangkat, nip=nip, basis=basis,
            berkas=berkas, zona_waktu=zona_waktu,
        )

    def when(self, event: DomainEvent) -> None:
        if isinstance(event, DocumentRegistered):
            self.registration = event

    @property
    def reference(self) -> str:
        reg = self.registration
        assert reg is not None
        return f"{reg.judul} ({reg.tanggal.isoformat()})"

    # How an evidence file's listing names the document its file belongs to (projections.bukti).
    @property
    def label(self) -> str:
        return self.reference

    @property
    def opd(self) -> str:
        assert self.registration is not None
        return self.registration.opd

    @property
    def tahun(self) -> int:
        assert self.registration is not None
        return self.registration.tahun
