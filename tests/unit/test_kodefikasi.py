"""A document's kodefikasi (ledger.kodefikasi): the default by plan year, the codes of
Permendagri 13/2006 (urusan X.XX, program X.XX.XX, kegiatan X.XX.XX.XX, printed with the SKPD
and a final dot; accounts of five parts) beside those of 90/2019, and the one property that lets
a stored code be read without its document: where the two eras' shapes overlap, they name the
same code."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import InvalidValue
from ledger.kode import Kode, Level, holds_money, kode_identity
from ledger.kodefikasi import FIRST_YEAR_90_2019, RULES, Kodefikasi, kodefikasi_for
from ledger.pergeseran import REQUIRED, Authority, ShiftScope, shift_scope
from ledger.rekening import KodeRekening, RekeningLevel, shift_level

OLD, NEW = Kodefikasi.PERMENDAGRI_13_2006, Kodefikasi.PERMENDAGRI_90_2019


@pytest.mark.parametrize(("tahun", "stated", "expected"), [
    (2017, None, OLD), (2019, None, OLD), (FIRST_YEAR_90_2019, None, NEW), (2022, None, NEW), (2024, None, NEW),
    (2024, OLD, OLD), (2017, NEW, NEW),
])
def test_the_plan_year_decides_unless_the_document_says(tahun: int, stated: Kodefikasi | None,
                                                        expected: Kodefikasi) -> None:
    assert kodefikasi_for(tahun, stated) is expected


@pytest.mark.parametrize(("printed", "identity", "level", "parent"), [
    ("1.08", "1.08", Level.URUSAN, None),
    ("1.08.01", "1.08.01", Level.PROGRAM, "1.08"),
    ("1.08.01.01", "1.08.01.01", Level.KEGIATAN, "1.08.01"),
    ("1.08.01.01.", "1.08.01.01", Level.KEGIATAN, "1.08.01"),
    ("1.08.1.08.01.01.16.", "1.08.01.16", Level.KEGIATAN, "1.08.01"),
    ("1.08 . 1.08.01 . 01 . 01", "1.08.01.01", Level.KEGIATAN, "1.08.01"),
    ("1.08.1.08.01.01", "1.08.01", Level.PROGRAM, "1.08"),
    ("1.08.1.08.01.01.", "1.08.01", Level.PROGRAM, "1.08"),
    ("1.21.1.21.01.00.00", "1.21.00.00", Level.KEGIATAN, "1.21.00"),  # "non kegiatan", as a Penjabaran prints it
    ("2.01.01.101", "2.01.01.101", Level.KEGIATAN, "2.01.01"),
])
def test_13_2006_codes_read_as_printed_and_name_their_line(printed: str, identity: str, level: Level,
                                                           parent: str | None) -> None:
    kode = Kode.parse(printed, OLD)
    assert (str(kode), kode.level, kode.kodefikasi) == (identity, level, OLD)
    assert (str(kode.parent) if kode.parent else None) == parent
    assert kode.shown == " ".join(printed.split())  # kept as printed, for display
    assert kode_identity(printed) == identity  # and found by its identity without the document


@pytest.mark.parametrize("bad", ["", "1", "1.08.01.01.01", "1.8.01", "1.08.1", "1.08.01.1", "1.08.1.08.1.01.01",
                                 "1.08.1.08.01.01.01.01", "x.08", "1.08.01.01.01.01", "٣.08.01"])
def test_malformed_13_2006_codes_are_refused_with_the_part_named(bad: str) -> None:
    with pytest.raises(InvalidValue, match="Permendagri 13/2006"):
        Kode.parse(bad, OLD)


def test_the_90_2019_codes_are_unchanged_and_shown_dotted() -> None:
    kode = Kode.parse("7 01 01 2.06 08", NEW)
    assert (str(kode), kode.shown, kode.level, str(kode.parent)) == ("7.01.01.2.06.08", "7.01.01.2.06.08",
                                                                     Level.SUB_KEGIATAN, "7.01.01.2.06")
    assert Kode.parse("7.01.01.2.06.08") == kode and Kode.parse("7.01.01.2.06.08").kodefikasi is NEW
    with pytest.raises(InvalidValue, match=r"90/2019.*\(got 4 parts\)"):
        Kode.parse("1.08.01.01", NEW)
    with pytest.raises(InvalidValue, match="sub-kegiatan part '1' is malformed"):
        Kode.parse("7.01.01.2.06.1", NEW)


def test_a_code_read_without_its_document_takes_the_era_its_shape_and_level_say() -> None:
    assert Kode.parse("1.08.01.01.").kodefikasi is OLD
    assert Kode.parse("1.08").level is Level.BIDANG  # the shapes overlap: the line's level decides
    assert Kode.read("1.08", Level.URUSAN).level is Level.URUSAN
    assert Kode.read("1.08", Level.BIDANG).level is Level.BIDANG
    with pytest.raises(InvalidValue, match="90/2019"):  # a malformed code gets the current codes' message
        Kode.parse("7.01.01.3.06.08")


def test_the_line_that_holds_money_and_lists_accounts_is_the_lowest_of_its_era() -> None:
    assert holds_money(Level.SUB_KEGIATAN, "7.01.01.2.06.08") and holds_money(Level.SUB_KEGIATAN, None)
    assert holds_money(Level.KEGIATAN, "1.08.1.08.01.01.01.")
    assert not holds_money(Level.KEGIATAN, "7.01.01.2.06")
    assert not holds_money(Level.KEGIATAN, None)
    assert not holds_money(Level.PROGRAM, "1.08.01")


# --- the shapes of the two eras overlap only where they name the same code ----------------------

def printed_codes(kodefikasi: Kodefikasi) -> st.SearchStrategy[str]:
    """Any code a document of this kodefikasi may print: each shape's parts, drawn from their patterns."""
    shapes = [shape for group in kodefikasi.rules.shapes.values() for shape in group]

    def parts(shape_index: int) -> st.SearchStrategy[str]:
        shape = shapes[shape_index]
        return st.tuples(*(st.from_regex(rule.pattern.replace("^", r"\A").replace("$", r"\Z"), fullmatch=True)
                           for _, rule in shape.parts)).map(".".join)

    return st.integers(0, len(shapes) - 1).flatmap(parts)


@settings(max_examples=400, deadline=None)
@given(kodefikasi=st.sampled_from(list(Kodefikasi)), data=st.data())
def test_a_code_both_eras_read_has_one_identity(kodefikasi: Kodefikasi, data: st.DataObject) -> None:
    text = data.draw(printed_codes(kodefikasi))
    own = Kode.parse(text, kodefikasi)
    assert re.fullmatch(r"[0-9X]+(\.[0-9]+)*", str(own))
    assert Kode.read(text, own.level) == own and Kode.read(text, own.level).level is own.level
    for other in Kodefikasi:
        try:
            theirs = Kode.parse(text, other)
        except InvalidValue:
            continue
        assert str(theirs) == str(own), (text, other)  # where both read it, it names one line


# --- accounts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("printed", ["5.2.1.01.05", "5 . 2 . 1 . 01 . 05", "5.2.1.01.05.", " 5 2 1 01 05 "])
def test_a_13_2006_account_has_five_levels_named_as_in_90_2019(printed: str) -> None:
    kode = KodeRekening.parse(printed, OLD)
    assert str(kode) == "5.2.1.01.05" and kode.is_account and kode.level is RekeningLevel.RINCIAN_OBJEK
    chain = []
    current: KodeRekening | None = kode
    while current is not None:
        chain.append((str(current), current.level))
        current = current.parent
    assert chain == [("5.2.1.01.05", RekeningLevel.RINCIAN_OBJEK), ("5.2.1.01", RekeningLevel.OBJEK),
                     ("5.2.1", RekeningLevel.JENIS), ("5.2", RekeningLevel.KELOMPOK), ("5", RekeningLevel.AKUN)]
    assert KodeRekening.read(printed).kodefikasi is OLD  # a 13/2006 jenis has one digit: no 90/2019 code


def test_accounts_are_read_in_their_own_era_only() -> None:
    with pytest.raises(InvalidValue, match="jenis part '1' is malformed"):
        KodeRekening.parse("5.2.1.01.05")  # a document of 2024
    with pytest.raises(InvalidValue, match="13/2006"):
        KodeRekening.parse("5.1.02.01.01.0024", OLD)
    assert not KodeRekening.parse("5.2.2.01", OLD).is_account
    assert KodeRekening.read("5.1.02.01.01.0024").is_account and not KodeRekening.read("5.1.02.01.01").is_account


def test_a_refused_account_names_the_kodefikasi_that_reads_it() -> None:
    from ledger.application.importing.rincian import other_rekening

    assert 'kodefikasi = "permendagri-13-2006"' in other_rekening("5.2.1.01.05", NEW)
    assert "level rincian_objek" in other_rekening("5.2.1.01.05", NEW)
    assert 'kodefikasi = "permendagri-90-2019"' in other_rekening("5.1.02.01.01.0024", OLD)
    assert other_rekening("5.1.2.01.01.0024", NEW) == ""  # read by neither: nothing to suggest


def test_the_upper_account_levels_are_named_by_era() -> None:
    assert (RULES[OLD].upper_names["5.2"], RULES[NEW].upper_names["5.2"]) == ("BELANJA LANGSUNG", "BELANJA MODAL")
    assert RULES[OLD].upper_names["5.2.2"] == "Belanja Barang dan Jasa"


@pytest.mark.parametrize(("giver", "taker", "scope", "authority"), [
    ("5.2.2.01.01", "5.2.2.01.04", ShiftScope.RINCIAN_OBJEK, Authority.PPKD),  # the PPKD (13/2006 Pasal 160, as restated)
    ("5.2.2.01.01", "5.2.2.06.02", ShiftScope.OBJEK, Authority.SEKDA),  # the Sekretaris Daerah
    ("5.2.1.01.05", "5.2.2.01.01", ShiftScope.JENIS, Authority.PERDA),  # a change of the Perda APBD
    ("5.2.3.01.01", "5.2.2.01.01", ShiftScope.JENIS, Authority.PERDA),
])
def test_a_13_2006_pergeseran_is_classified_on_the_same_levels(giver: str, taker: str, scope: ShiftScope,
                                                               authority: Authority) -> None:
    pair = KodeRekening.parse(giver, OLD), KodeRekening.parse(taker, OLD)
    assert shift_level(*pair) is RekeningLevel(scope.value)
    kegiatan = "1.08.1.08.01.01.01."
    assert shift_scope((kegiatan, pair[0]), (kegiatan, pair[1])) is scope
    assert REQUIRED[scope] is authority


def test_between_13_2006_kegiatan_a_pergeseran_parts_at_the_kegiatan_or_the_program() -> None:
    atk = KodeRekening.parse("5.2.2.01.01", OLD)
    assert shift_scope(("1.08.1.08.01.01.01.", atk), ("1.08.01.02.", atk)) is ShiftScope.KEGIATAN
    assert shift_scope(("1.08.01.01", atk), ("1.08.02.01", atk)) is ShiftScope.PROGRAM
    assert shift_scope(("1.08.01.01", atk), ("1.08.01.01", atk)) is None
