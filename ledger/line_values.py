"""Values that a budget line's events carry and its state keeps: which indicator of a row a
target belongs to, a triwulan's slot, a komponen of an account's rincian belanja.

They sit apart from the events (``ledger.line_events``) because the line's state
(``ledger.line_state``) holds them too, and the events' rules fold into that state.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from ledger.basis import Frozen
from ledger.i18n import N_, Phrase, phrase
from ledger.money import Rupiah
from ledger.target import Target


class Role(StrEnum):
    """Which indicator of a row a target or indicator text belongs to."""

    OWN = "own"  # the row's own indicator: keluaran of a sub-kegiatan, hasil of a kegiatan
    PROGRAM = "program"  # capaian program (printed on sub-kegiatan rows of Tabel 3.2)
    KEGIATAN = "kegiatan"  # hasil kegiatan (printed on sub-kegiatan rows of Tabel 3.2)
    KELUARAN = "keluaran"  # keluaran printed beside a kegiatan's own (hasil) indicator, as on RKA/RKPA forms
    YEAR_END = "year_end"  # Rencana Aksi: kondisi kinerja pada akhir tahun


# A role's value is its message id: the history names ``own`` as "sendiri" in Indonesian.
ROLE_WORDS = (N_("own"), N_("program"), N_("kegiatan"), N_("keluaran"), N_("year_end"))


def indicator_name(role: Role, ke: int) -> str:
    """``own``, ``program`` ...; ``own 2`` for the second indicator of a role."""
    return role.value if ke == 1 else f"{role.value} {ke}"


def indicator_phrase(role: Role, ke: int) -> Phrase:
    """``indicator_name``, said in the reader's language too."""
    named = Phrase(role.value)
    return named if ke == 1 else phrase("{role} {ke}", role=named, ke=ke)


class TwSlot(Frozen):
    target: Target | None = None
    rupiah: Rupiah | None = None


class RincianItem(Frozen):
    """One komponen of an account's rincian belanja, as the form prints it: koefisien
    (volume and satuan), harga satuan, PPN (a percentage or an amount) and jumlah."""

    komponen: str | None = None
    koefisien: Decimal | None = None
    satuan: str | None = None
    harga: Rupiah | None = None
    ppn_persen: Decimal | None = None
    ppn: Rupiah | None = None
    jumlah: Rupiah
