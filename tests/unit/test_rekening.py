"""Kode rekening as a value (Permendagri 90/2019): its six levels, the printed forms it is read
from, its parents, and the level at which two accounts part (which classifies a pergeseran)."""

from __future__ import annotations

import pytest

from ledger.errors import InvalidValue
from ledger.rekening import KodeRekening, RekeningLevel, shift_level


@pytest.mark.parametrize("printed", ["5.1.02.01.01.0024", "5 . 1 . 02 . 01 . 01 . 0024", "5 1 02 01 01 0024",
                                     " 5.1.02.01.01.0024 "])
def test_the_printed_forms_read_the_same(printed: str) -> None:
    kode = KodeRekening.parse(printed)
    assert str(kode) == "5.1.02.01.01.0024" and kode.level is RekeningLevel.SUB_RINCIAN_OBJEK


def test_levels_and_parents() -> None:
    kode = KodeRekening.parse("5.1.02.01.01.0024")
    chain = []
    current: KodeRekening | None = kode
    while current is not None:
        chain.append((str(current), current.level.value))
        current = current.parent
    assert chain == [("5.1.02.01.01.0024", "sub_rincian_objek"), ("5.1.02.01.01", "rincian_objek"),
                     ("5.1.02.01", "objek"), ("5.1.02", "jenis"), ("5.1", "kelompok"), ("5", "akun")]
    assert str(kode.at(RekeningLevel.JENIS)) == "5.1.02"


@pytest.mark.parametrize("bad", ["", "7.1.02", "5.1.2.01", "5.1.02.01.01.24", "5.1.02.01.01.0024.1", "5.x",
                                 "٥.1.02", "5.1.02.01.01.00244"])
def test_malformed_codes_are_refused_with_the_part_named(bad: str) -> None:
    with pytest.raises(InvalidValue, match="kode rekening"):
        KodeRekening.parse(bad)


@pytest.mark.parametrize(("giver", "taker", "level"), [
    ("5.1.02.01.01.0024", "5.1.02.01.01.0026", RekeningLevel.SUB_RINCIAN_OBJEK),
    ("5.1.02.01.01.0024", "5.1.02.01.02.0001", RekeningLevel.RINCIAN_OBJEK),
    ("5.1.02.01.01.0024", "5.1.02.02.01.0063", RekeningLevel.OBJEK),
    ("5.1.02.01.01.0024", "5.1.01.03.07.0001", RekeningLevel.JENIS),
    ("5.1.02.01.01.0024", "5.2.02.10.02.0003", RekeningLevel.KELOMPOK),
    ("5.1.02.01.01.0024", "5.1.02.01.01.0024", None),
])
def test_the_level_at_which_two_accounts_part(giver: str, taker: str, level: RekeningLevel | None) -> None:
    assert shift_level(KodeRekening.parse(giver), KodeRekening.parse(taker)) is level
