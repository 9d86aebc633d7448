"""A document's kodefikasi: which regulation's codes it prints, and the rules of those codes, as data.

Regional planning documents print the codes of one of two eras:

* **Permendagri 13/2006** (as amended by 59/2007 and 21/2011), the budgets up to 2019: urusan
  ``1.08`` (urusan wajib 1, bidang urusan 08 Lingkungan Hidup), program ``1.08.01``, kegiatan
  ``1.08.01.01``; no sub-kegiatan. Forms often print the SKPD between the urusan and the program
  (``1.08 . 1.08.01 . 01 . 16`` = urusan 1.08, organisasi 1.08.01, program 01, kegiatan 16) and
  end a code with a dot. Accounts of five parts, ``5.2.1.01.05`` (akun, kelompok, jenis, objek,
  rincian objek), listed under each kegiatan.
* **Permendagri 90/2019**, from 2020: urusan ``7``, bidang ``7.01``, program ``7.01.01``, kegiatan
  ``7.01.01.2.06``, sub-kegiatan ``7.01.01.2.06.08``; accounts of six parts,
  ``5.1.02.01.01.0024``, listed under each sub-kegiatan.

``RULES`` is the one table of what each kodefikasi means; ``ledger.kode`` and
``ledger.rekening`` read it, and nothing else knows an era's shapes. A document states its
kodefikasi (``kodefikasi`` in document.toml, ``--kodefikasi``); without it, its ``tahun``
decides (``kodefikasi_for``).

The shapes of the two eras overlap only where they mean the same code: ``X.XX`` (a 90/2019
bidang, a 13/2006 urusan) and ``X.XX.XX`` (a program in both) have the same identity either way,
and the account levels ``5`` and ``5.2`` likewise (their *names* differ: ``upper_names``).
So a code stored without its document (a line's kode, a reference a person types) is read by
its shape (``READING_ORDER``), the line's level deciding the overlap (``tests/unit/test_kodefikasi.py``
proves it over generated codes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class Level(StrEnum):
    """The level of a line of the plan (re-exported by ``ledger.kode``)."""

    URUSAN = "urusan"
    BIDANG = "bidang"
    PROGRAM = "program"
    KEGIATAN = "kegiatan"
    SUB_KEGIATAN = "sub_kegiatan"
    # An account (kode rekening) of a sub-kegiatan's (13/2006: a kegiatan's) rincian belanja: a
    # line below it, keyed "<its key>/<kode rekening>" (ledger.rekening).
    REKENING = "rekening"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


class RekeningLevel(StrEnum):
    """The levels of a kode rekening (re-exported by ``ledger.rekening``); an era that has fewer
    levels has the first ones, under the same names."""

    AKUN = "akun"
    KELOMPOK = "kelompok"
    JENIS = "jenis"
    OBJEK = "objek"
    RINCIAN_OBJEK = "rincian_objek"
    SUB_RINCIAN_OBJEK = "sub_rincian_objek"


class Kodefikasi(StrEnum):
    PERMENDAGRI_13_2006 = "permendagri-13-2006"
    PERMENDAGRI_90_2019 = "permendagri-90-2019"

    @property
    def rules(self) -> KodeRules:
        return RULES[self]


@dataclass(frozen=True)
class Segment:
    """What one level adds to the code above it: the pattern and the name of each dotted part."""

    level: Level | None  # None: a printed part that is not the line's identity (the SKPD)
    parts: tuple[tuple[str, str], ...]  # (name in messages, pattern)


@dataclass(frozen=True)
class Shape:
    """One way a code of this kodefikasi is printed: every part's name and pattern, which parts
    make its identity, and its level."""

    level: Level
    parts: tuple[tuple[str, re.Pattern[str]], ...]
    identity: tuple[int, ...]  # the positions of the parts that make the kode (not the SKPD's)


@dataclass(frozen=True)
class KodeRules:
    title: str  # "Permendagri 90/2019", for messages
    expected: str  # what a kode looks like, for messages
    segments: tuple[Segment, ...]  # the program structure from the top; a kode of a level is its segments so far
    # The SKPD some forms print after the first segment (urusan . organisasi . program . kegiatan);
    # read and dropped from the identity, the kode as printed is kept for display.
    organisasi: Segment | None
    keeps_printed: bool  # a line shows its kode as the document printed it (else dotted: 7.01.01.2.06.08)
    account_parent: Level  # the level whose rincian belanja lists the accounts
    rekening: tuple[tuple[RekeningLevel, str], ...]  # each part of a kode rekening: its level and pattern
    rekening_expected: str
    # An account may be printed with its kegiatan's code in front (the Penjabaran APBD of the era:
    # ``1.21 . 1.21.01 . 00.00 . 5.1.1.01.01``); it is read without it.
    rekening_after_kegiatan: bool
    upper_names: Mapping[str, str] = field(default_factory=dict)  # names of the upper account levels

    @property
    def levels(self) -> tuple[Level, ...]:
        """The levels of the plan this kodefikasi has (13/2006: no bidang, no sub-kegiatan)."""
        return tuple(segment.level for segment in self.segments if segment.level is not None)

    @cached_property
    def shapes(self) -> dict[int, tuple[Shape, ...]]:
        """Every printed shape by its number of parts: each level's segments so far, and, below the
        first, the same with the SKPD after the first segment."""
        found: dict[int, list[Shape]] = {}
        for depth in range(1, len(self.segments) + 1):
            used = self.segments[:depth]
            variants = [used]
            if self.organisasi is not None and depth > 1:
                variants.append((used[0], self.organisasi, *used[1:]))
            for segments in variants:
                parts: list[tuple[str, re.Pattern[str]]] = []
                identity: list[int] = []
                for segment in segments:
                    for name, pattern in segment.parts:
                        if segment.level is not None:
                            identity.append(len(parts))
                        parts.append((name, re.compile(f"^{pattern}$")))
                level = used[-1].level
                assert level is not None
                found.setdefault(len(parts), []).append(Shape(level, tuple(parts), tuple(identity)))
        return {count: tuple(shapes) for count, shapes in found.items()}

    @cached_property
    def rekening_patterns(self) -> tuple[tuple[RekeningLevel, re.Pattern[str]], ...]:
        return tuple((level, re.compile(f"^{pattern}$")) for level, pattern in self.rekening)

    def parent_drop(self, level: Level) -> int:
        """How many identity parts a code of this level has beyond its parent's."""
        return next(len(segment.parts) for segment in self.segments if segment.level is level)


# The names of the upper account levels (Permendagri 90/2019, as updated by Kepmendagri
# 050-5889/2021), for the header rows of a rincian belanja; lower levels are named only by the
# documents, and a name a document prints for a level prevails.
_UPPER_90_2019: dict[str, str] = {
    "4": "PENDAPATAN DAERAH", "5": "BELANJA DAERAH", "6": "PEMBIAYAAN DAERAH",
    "5.1": "BELANJA OPERASI", "5.2": "BELANJA MODAL", "5.3": "BELANJA TIDAK TERDUGA", "5.4": "BELANJA TRANSFER",
    "5.1.01": "Belanja Pegawai", "5.1.02": "Belanja Barang dan Jasa", "5.1.03": "Belanja Bunga",
    "5.1.04": "Belanja Subsidi", "5.1.05": "Belanja Hibah", "5.1.06": "Belanja Bantuan Sosial",
    "5.2.01": "Belanja Modal Tanah", "5.2.02": "Belanja Modal Peralatan dan Mesin",
    "5.2.03": "Belanja Modal Gedung dan Bangunan", "5.2.04": "Belanja Modal Jalan, Jaringan, dan Irigasi",
    "5.2.05": "Belanja Modal Aset Tetap Lainnya", "5.2.06": "Belanja Modal Aset Lainnya",
    "5.3.01": "Belanja Tidak Terduga", "5.4.01": "Belanja Bagi Hasil", "5.4.02": "Belanja Bantuan Keuangan",
}
# The same for Permendagri 13/2006 (Lampiran A, as amended by 59/2007): belanja tidak langsung
# and belanja langsung, with their jenis.
_UPPER_13_2006: dict[str, str] = {
    "4": "PENDAPATAN", "5": "BELANJA", "6": "PEMBIAYAAN",
    "5.1": "BELANJA TIDAK LANGSUNG", "5.2": "BELANJA LANGSUNG",
    "5.1.1": "Belanja Pegawai", "5.1.2": "Belanja Bunga", "5.1.3": "Belanja Subsidi", "5.1.4": "Belanja Hibah",
    "5.1.5": "Belanja Bantuan Sosial", "5.1.6": "Belanja Bagi Hasil", "5.1.7": "Belanja Bantuan Keuangan",
    "5.1.8": "Belanja Tidak Terduga",
    "5.2.1": "Belanja Pegawai", "5.2.2": "Belanja Barang dan Jasa", "5.2.3": "Belanja Modal",
}

RULES: dict[Kodefikasi, KodeRules] = {
    Kodefikasi.PERMENDAGRI_90_2019: KodeRules(
        title="Permendagri 90/2019",
        expected="a Permendagri 90/2019 code such as 7.01.01.2.06.08 or '7 01 01 2.06 08'",
        segments=(
            Segment(Level.URUSAN, (("urusan", "[1-9X]"),)),
            Segment(Level.BIDANG, (("bidang", "[0-9]{2}"),)),
            Segment(Level.PROGRAM, (("program", "[0-9]{2}"),)),
            Segment(Level.KEGIATAN, (("kegiatan (kelompok)", "[1-2]"), ("kegiatan", "[0-9]{2}"))),
            Segment(Level.SUB_KEGIATAN, (("sub-kegiatan", "[0-9]{2,4}"),)),
        ),
        organisasi=None, keeps_printed=False, account_parent=Level.SUB_KEGIATAN,
        rekening=((RekeningLevel.AKUN, "[4-6]"), (RekeningLevel.KELOMPOK, "[0-9]"), (RekeningLevel.JENIS, "[0-9]{2}"),
                  (RekeningLevel.OBJEK, "[0-9]{2}"), (RekeningLevel.RINCIAN_OBJEK, "[0-9]{2}"),
                  (RekeningLevel.SUB_RINCIAN_OBJEK, "[0-9]{4}")),
        rekening_expected="a kode rekening such as 5.1.02.01.01.0024 (akun.kelompok.jenis.objek.rincian objek.sub "
                          "rincian objek)",
        rekening_after_kegiatan=False, upper_names=_UPPER_90_2019,
    ),
    Kodefikasi.PERMENDAGRI_13_2006: KodeRules(
        title="Permendagri 13/2006",
        expected="a Permendagri 13/2006 code such as 1.08.01.01 (urusan.program.kegiatan), also printed with the SKPD "
                 "as 1.08.1.08.01.01.01.",
        segments=(
            # Urusan wajib 1 or pilihan 2 and the bidang urusan; 0.00 is printed for "non urusan".
            Segment(Level.URUSAN, (("urusan", "[0-9]"), ("bidang urusan", "[0-9]{2}"))),
            Segment(Level.PROGRAM, (("program", "[0-9]{2,3}"),)),
            Segment(Level.KEGIATAN, (("kegiatan", "[0-9]{2,3}"),)),
        ),
        organisasi=Segment(None, (("organisasi (urusan)", "[0-9]"), ("organisasi (bidang urusan)", "[0-9]{2}"),
                                  ("organisasi", "[0-9]{2}"))),
        keeps_printed=True, account_parent=Level.KEGIATAN,
        rekening=((RekeningLevel.AKUN, "[4-6]"), (RekeningLevel.KELOMPOK, "[0-9]"), (RekeningLevel.JENIS, "[0-9]"),
                  (RekeningLevel.OBJEK, "[0-9]{2}"), (RekeningLevel.RINCIAN_OBJEK, "[0-9]{2,3}")),
        rekening_expected="a Permendagri 13/2006 kode rekening such as 5.2.1.01.05 (akun.kelompok.jenis.objek.rincian "
                          "objek)",
        rekening_after_kegiatan=True, upper_names=_UPPER_13_2006,
    ),
}

# The first plan year whose documents print the codes of Permendagri 90/2019 by default.
FIRST_YEAR_90_2019 = 2020
# A code read without its document: the current codes first (their messages are the ones a
# malformed code gets), then the older ones.
READING_ORDER = (Kodefikasi.PERMENDAGRI_90_2019, Kodefikasi.PERMENDAGRI_13_2006)


def kodefikasi_for(tahun: int, stated: Kodefikasi | None = None) -> Kodefikasi:
    """The kodefikasi of a document of this plan year: the one it states, else its year's."""
    if stated is not None:
        return stated
    return Kodefikasi.PERMENDAGRI_90_2019 if tahun >= FIRST_YEAR_90_2019 else Kodefikasi.PERMENDAGRI_13_2006
