from decimal import Decimal

import pytest

from ledger.errors import InvalidValue
from ledger.kode import Kode, Level
from ledger.money import Rupiah, format_rupiah, percent_change
from ledger.numbers import parse_decimal, parse_whole
from ledger.target import Satuan, Target, parse_satuan


@pytest.mark.parametrize(("text", "expected"), [
    ("2.788.872.800", 2788872800), ("20,670,000", 20670000), ("4.086.080,", 4086080), ("5.800.000,", 5800000),
    ("12.301.300,", 12301300), ("2985017421", 2985017421), ("  3.065.872.800 ", 3065872800), ("4,240,011", 4240011),
    ("1.234.567,00", 1234567), ("Rp. 80.855.379", 80855379), ("0", 0),
])
def test_whole_amounts_in_every_seed_spelling(text: str, expected: int) -> None:
    assert parse_whole(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.234,56", "12.34.5", "1,2,3"])
def test_bad_or_fractional_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_whole(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("51,48", Decimal("51.48")), ("95.00", Decimal("95.00")), ("100%", Decimal(100)), ("100 %", Decimal(100)),
    ("100.00  %", Decimal("100.00")), ("87,74", Decimal("87.74")), ("9.237", Decimal(9237)), ("1.500", Decimal(1500)),
    ("4285", Decimal(4285)),
])
def test_decimal_spellings(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


def test_ambiguous_comma_grouping_is_refused_for_quantities() -> None:
    with pytest.raises(InvalidValue, match="ambiguous"):
        parse_decimal("1,500")


def test_rupiah_is_integer_backed_and_never_float() -> None:
    amount = Rupiah(129435000) + Rupiah(71275000)
    assert isinstance(amount, Rupiah) and amount == 200710000
    assert format_rupiah(amount) == "200.710.000"
    assert format_rupiah(-1500) == "-1.500"
    assert isinstance(amount - 10, Rupiah)
    with pytest.raises(InvalidValue):
        Rupiah(1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        Rupiah(True)


def test_percent_change_uses_a_decimal_comma() -> None:
    assert percent_change(129435000, 200710000) == "+55,07%"
    assert percent_change(0, 10) == ""


@pytest.mark.parametrize(("text", "dotted", "level", "parent"), [
    ("7 01 01 2.06 08", "7.01.01.2.06.08", Level.SUB_KEGIATAN, "7.01.01.2.06"),
    ("7.01.01.2.06", "7.01.01.2.06", Level.KEGIATAN, "7.01.01"),
    ("7 01 01", "7.01.01", Level.PROGRAM, "7.01"),
    ("7 01", "7.01", Level.BIDANG, "7"),
    ("7", "7", Level.URUSAN, None),
])
def test_kode_levels_and_parents(text: str, dotted: str, level: Level, parent: str | None) -> None:
    kode = Kode.parse(text)
    assert str(kode) == dotted
    assert kode.level is level
    assert (str(kode.parent) if kode.parent else None) == parent


def test_kode_prints_the_spaced_form_back() -> None:
    assert Kode.parse("7.01.01.2.06.08").spaced == "7 01 01 2.06 08"


@pytest.mark.parametrize("text", ["7.01.01.2", "7.1.01", "7 01 01 3.06 08", "x", "", "7.01.01.2.06.08.09.1"])
def test_malformed_kode_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        Kode.parse(text)


@pytest.mark.parametrize(("text", "satuan"), [
    ("Dok", Satuan.DOKUMEN), ("Dokumen", Satuan.DOKUMEN), ("Dokume", Satuan.DOKUMEN), ("Org", Satuan.ORANG),
    ("org", Satuan.ORANG), ("Orang", Satuan.ORANG), ("Exp", Satuan.EKSEMPLAR), ("Examplar", Satuan.EKSEMPLAR),
    ("Eksemplar", Satuan.EKSEMPLAR), ("eksamplar", Satuan.EKSEMPLAR), ("Lbr", Satuan.LEMBAR), ("lbr", Satuan.LEMBAR),
    ("Lembar", Satuan.LEMBAR), ("Rek", Satuan.REKENING), ("Rekening", Satuan.REKENING), ("Rekenin", Satuan.REKENING),
    ("%", Satuan.PERSEN), ("Kali", Satuan.KALI), ("kali", Satuan.KALI), ("Kasus", Satuan.KASUS),
    ("Desa", Satuan.DESA), ("Jenis", Satuan.JENIS), ("Unit", Satuan.UNIT), ("unit", Satuan.UNIT),
    ("Surat", Satuan.SURAT), ("Laporan", Satuan.LAPORAN), ("Keg", Satuan.KEGIATAN), ("stel", Satuan.STEL),
])
def test_every_unit_spelling_of_the_seeds(text: str, satuan: str) -> None:
    assert parse_satuan(text) == satuan


@pytest.mark.parametrize(("printed", "kept"), [
    ("Perda", "Perda"), ("PERGUB", "Pergub"), ("persen", "%"), ("Naskah", "Naskah"), ("berkas", "Berkas"),
    ("Buah", "Buah"), ("Bulan", "Bulan"), ("Paket", "Paket"), ("M2", "M2"), ("Km", "Km"), ("Ls", "Ls"),
    ("Bungkus", "Bungkus"), ("  Titik   Lokasi ", "Titik Lokasi"), ("BUNGKUS", "Bungkus"), ("", "tanpa satuan"),
])
def test_any_unit_is_kept_as_printed_and_known_spellings_are_normalized(printed: str, kept: str) -> None:
    assert parse_satuan(printed) == kept


def test_a_unit_that_is_no_word_is_refused() -> None:
    with pytest.raises(InvalidValue, match="satuan"):
        parse_satuan("12345")
    with pytest.raises(InvalidValue, match="satuan"):
        parse_satuan("x" * 41)


@pytest.mark.parametrize(("text", "nilai", "satuan"), [
    ("2 Dok", Decimal(2), Satuan.DOKUMEN), ("9.237 Org", Decimal(9237), Satuan.ORANG), ("100%", Decimal(100), Satuan.PERSEN),
    ("100.00  %", Decimal("100.00"), Satuan.PERSEN), ("120 Rekenin", Decimal(120), Satuan.REKENING),
    ("1.500 Surat", Decimal(1500), Satuan.SURAT), ("4285 Orang", Decimal(4285), Satuan.ORANG),
])
def test_target_reads_value_and_unit(text: str, nilai: Decimal, satuan: Satuan) -> None:
    target = Target.parse(text)
    assert (target.nilai, target.satuan) == (nilai, satuan)


def test_bare_target_takes_the_given_unit_or_is_marked_unitless() -> None:
    assert Target.parse("3", default_satuan=Satuan.LEMBAR).satuan is Satuan.LEMBAR
    assert Target.parse("12").satuan is Satuan.TANPA
    assert str(Target.parse("51,48%")) == "51,48%"
