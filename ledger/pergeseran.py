"""Pergeseran anggaran between accounts: its level, and the legal basis each level requires.

A shift between two accounts (kode rekening) is classified by where they part: inside one
rincian objek, one objek, one jenis ..., or between two sub-kegiatan (and so kegiatan or
program). PP 12/2019 Pasal 163-164 and Permendagri 77/2020 (Lampiran, Bab VI huruf D angka 1
huruf m) say which decision each needs; ``REQUIRED`` is that rule as data:

* "Pergeseran anggaran yang menyebabkan perubahan APBD meliputi pergeseran antar organisasi,
  antar unit organisasi, antar program, antar kegiatan, antar sub kegiatan, antar kelompok,
  dan antar jenis belanja" (between akun is not named: it changes the APBD all the more);
* "antar objek dalam jenis yang sama atas persetujuan Sekretaris Daerah";
* "antar rincian objek dalam objek yang sama atas persetujuan PPKD";
* "antar sub rincian objek dalam rincian objek yang sama atas persetujuan PPKD".

(As restated by regional regulations and pergeseran templates that quote the Permendagri;
the text of the regulation itself was not reachable from here.) A decision of a higher
authority also covers a lower level: a change of the Perda APBD may move anything.

Documents of Permendagri 13/2006 (before 2020) list five-part accounts under each kegiatan; their
levels carry the same names (``ledger.rekening``), and that era's rule (Pasal 160, as restated
in the same way) asks the same decisions: between rincian objek the PPKD, between objek the
Sekretaris Daerah, between jenis or kegiatan a change of the Perda APBD.
"""

from __future__ import annotations

from enum import StrEnum

from ledger.errors import InvalidValue
from ledger.i18n import N_, _
from ledger.kode import Kode, Level
from ledger.rekening import KodeRekening, shift_level


class ShiftScope(StrEnum):
    """Where the two sides of an account pergeseran part, from the narrowest."""

    SUB_RINCIAN_OBJEK = "sub_rincian_objek"  # between sub rincian objek of one rincian objek
    RINCIAN_OBJEK = "rincian_objek"  # between rincian objek of one objek
    OBJEK = "objek"  # between objek of one jenis
    JENIS = "jenis"  # between jenis (of one kelompok)
    KELOMPOK = "kelompok"
    AKUN = "akun"
    SUB_KEGIATAN = "sub_kegiatan"  # between two sub-kegiatan of one kegiatan
    KEGIATAN = "kegiatan"  # between kegiatan of one program
    PROGRAM = "program"  # between programs

    @property
    def label(self) -> str:
        return _(_SCOPE_LABELS[self])


_SCOPE_LABELS = {
    ShiftScope.SUB_RINCIAN_OBJEK: N_("between sub rincian objek of one rincian objek"),
    ShiftScope.RINCIAN_OBJEK: N_("between rincian objek of one objek"),
    ShiftScope.OBJEK: N_("between objek of one jenis"),
    ShiftScope.JENIS: N_("between jenis belanja"),
    ShiftScope.KELOMPOK: N_("between kelompok belanja"),
    ShiftScope.AKUN: N_("between akun"),
    ShiftScope.SUB_KEGIATAN: N_("between sub-kegiatan"),
    ShiftScope.KEGIATAN: N_("between kegiatan"),
    ShiftScope.PROGRAM: N_("between programs"),
}


class Authority(StrEnum):
    """The kinds of decision that authorise a pergeseran, from the lowest."""

    PPKD = "ppkd"  # persetujuan PPKD (the regional finance officer), recorded in a DPPA
    SEKDA = "sekda"  # persetujuan Sekretaris Daerah
    PERKADA = "perkada"  # perubahan Peraturan Kepala Daerah tentang penjabaran APBD
    PERDA = "perda"  # perubahan Peraturan Daerah tentang APBD

    @property
    def rank(self) -> int:
        return list(Authority).index(self)

    @property
    def label(self) -> str:
        return _(_AUTHORITY_LABELS[self])


_AUTHORITY_LABELS = {
    Authority.PPKD: N_("approval of the PPKD"),
    Authority.SEKDA: N_("approval of the Sekretaris Daerah"),
    Authority.PERKADA: N_("a change of the Perkada on the penjabaran APBD"),
    Authority.PERDA: N_("a change of the Perda APBD"),
}

# The lowest decision each level needs (PP 12/2019 Pasal 163; Permendagri 77/2020): inside an
# objek the PPKD approves, between objek of one jenis the Sekretaris Daerah; between jenis,
# and between sub-kegiatan, kegiatan or programs, only a change of the Perda APBD will do.
REQUIRED: dict[ShiftScope, Authority] = {
    ShiftScope.SUB_RINCIAN_OBJEK: Authority.PPKD,
    ShiftScope.RINCIAN_OBJEK: Authority.PPKD,
    ShiftScope.OBJEK: Authority.SEKDA,
    ShiftScope.JENIS: Authority.PERDA,
    ShiftScope.KELOMPOK: Authority.PERDA,
    ShiftScope.AKUN: Authority.PERDA,
    ShiftScope.SUB_KEGIATAN: Authority.PERDA,
    ShiftScope.KEGIATAN: Authority.PERDA,
    ShiftScope.PROGRAM: Authority.PERDA,
}


def shift_scope(giver: tuple[str, KodeRekening], taker: tuple[str, KodeRekening]) -> ShiftScope | None:
    """The scope of a shift between two accounts, each given as (the kode or key of the line that
    lists it: a sub-kegiatan, or a 13/2006 kegiatan; kode rekening). None when both name the same account."""
    giver_sub, giver_rekening = giver
    taker_sub, taker_rekening = taker
    if giver_sub != taker_sub:
        return _where_lines_part(giver_sub, taker_sub)
    level = shift_level(giver_rekening, taker_rekening)
    return ShiftScope(level.value) if level is not None else None


def _where_lines_part(giver: str, taker: str) -> ShiftScope:
    """Two coded lines of one level part at their program, else at their kegiatan, else (two
    sub-kegiatan of one kegiatan) at the sub-kegiatan; lines known only by name, at their own level."""
    try:
        kodes = (Kode.parse(giver), Kode.parse(taker))
    except InvalidValue:
        return ShiftScope.SUB_KEGIATAN
    if kodes[0].level is not kodes[1].level:
        return ShiftScope.SUB_KEGIATAN
    for level in (Level.PROGRAM, Level.KEGIATAN):
        if kodes[0].at(level) != kodes[1].at(level):
            return ShiftScope(level.value)
    return ShiftScope.SUB_KEGIATAN


def fits(scope: ShiftScope, authority: Authority | None) -> bool:
    return authority is not None and authority.rank >= REQUIRED[scope].rank
