"""Events of a budget line (one per OPD x tahun x kode). Past tense, frozen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from ledger.basis import Frozen, Stage
from ledger.events import Aggregate
from ledger.kode import Level
from ledger.money import Rupiah
from ledger.pergeseran import Authority, ShiftScope
from ledger.target import Target


@dataclass(frozen=True)
class LineEventSpec:
    """What the rest of the ledger needs to know of a line event, said once, beside its class."""

    identity: bool = False  # identifies the line (its opening, its kode): applies at every valid time, first
    naming: bool = False  # how the ledger came to know the line's name (with identity: load-order noise)
    money: bool = False  # changes a stage's money: the fold looks for figures below zero after it
    correctable: bool = False  # states a pagu or target an EventCorrected may replace
    bookkeeping: bool = False  # a record about statements that puts no line in force


# Every event of a budget line, with its spec (``@line_event``). The fold, the read model's fast
# fold, the time-invariant sets and the correction rule all read their membership from here; the
# property test (tests/unit/test_stored_fold.py) fails for an event class without an entry.
LINE_EVENTS: dict[type, LineEventSpec] = {}
E = TypeVar("E", bound=type)


def line_event(**flags: bool) -> Callable[[E], E]:
    def register(cls: E) -> E:
        LINE_EVENTS[cls] = LineEventSpec(**flags)
        return cls
    return register


def events_where(flag: str) -> tuple[type, ...]:
    """The line events whose spec has ``flag`` set (``money``, ``identity`` ...)."""
    return tuple(cls for cls, spec in LINE_EVENTS.items() if getattr(spec, flag))


class Role(StrEnum):
    """Which indicator of a row a target or indicator text belongs to."""

    OWN = "own"  # the row's own indicator: keluaran of a sub-kegiatan, hasil of a kegiatan
    PROGRAM = "program"  # capaian program (printed on sub-kegiatan rows of Tabel 3.2)
    KEGIATAN = "kegiatan"  # hasil kegiatan (printed on sub-kegiatan rows of Tabel 3.2)
    KELUARAN = "keluaran"  # keluaran printed beside a kegiatan's own (hasil) indicator, as on RKA/RKPA forms
    YEAR_END = "year_end"  # Rencana Aksi: kondisi kinerja pada akhir tahun


def indicator_name(role: Role, ke: int) -> str:
    """``own``, ``program`` ...; ``own 2`` for the second indicator of a role."""
    return role.value if ke == 1 else f"{role.value} {ke}"


class TwSlot(Frozen):
    target: Target | None = None
    rupiah: Rupiah | None = None


@line_event(identity=True)
class LineOpened(Aggregate.Created):
    opd: str
    tahun: int
    key: str
    kode: str | None
    level: Level
    nama: str
    parent_key: str | None


@line_event(identity=True)
class KodeRecorded(Aggregate.Event):
    kode: str


@line_event(naming=True)
class NameStated(Aggregate.Event):
    """A document prints the line under this name (when it differs from the names known, or
    is printed earlier in valid time than the name in force)."""

    nama: str


@line_event()
class DetailsStated(Aggregate.Event):
    stage: Stage
    lokasi: str | None = None
    sumber_dana: str | None = None
    catatan: str | None = None


@line_event(money=True, correctable=True)
class PaguSet(Aggregate.Event):
    stage: Stage
    rupiah: Rupiah


@line_event(money=True, correctable=True)
class PaguRevised(Aggregate.Event):
    stage: Stage
    rupiah: Rupiah
    previous: Rupiah | None


@line_event(correctable=True)
class TargetSet(Aggregate.Event):
    stage: Stage
    role: Role
    target: Target
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)


@line_event(correctable=True)
class TargetChanged(Aggregate.Event):
    stage: Stage
    role: Role
    target: Target
    previous: Target | None
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)


@line_event()
class IndicatorSet(Aggregate.Event):
    stage: Stage
    role: Role
    text: str
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)


@line_event()
class IndicatorChanged(Aggregate.Event):
    stage: Stage
    role: Role
    text: str
    previous: str | None
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)


@line_event(money=True)
class TriwulanAllocated(Aggregate.Event):
    stage: Stage
    slots: tuple[TwSlot, TwSlot, TwSlot, TwSlot]


@line_event(money=True)
class TriwulanReallocated(Aggregate.Event):
    """Rp (and target) moved between triwulan of one line; the deltas net to zero."""

    stage: Stage
    rupiah: tuple[int, int, int, int]
    target: tuple[Decimal, Decimal, Decimal, Decimal] | None = None


@line_event()
class PenanggungJawabAssigned(Aggregate.Event):
    name: str
    previous: str | None = None


@line_event(correctable=True)
class ForwardEstimateSet(Aggregate.Event):
    tahun: int
    indikator: str | None = None
    target: Target | None = None
    rupiah: Rupiah | None = None


@line_event(money=True)
class LineWithdrawn(Aggregate.Event):
    """The source no longer holds the line at this stage (SIPD: the row turned ``active = 0`` or
    was gone at a sync). Nothing is deleted: from its date the line holds no money at the stage
    (pagu 0, its own statement), and its earlier figures stay in the history."""

    stage: Stage


@line_event()
class LineRestored(Aggregate.Event):
    """A withdrawn line is held again at this stage; its figures come with the statements of
    the same source that follow."""

    stage: Stage


@line_event(bookkeeping=True)
class SipdFactsStated(Aggregate.Event):
    """Which of the line's facts (``pagu|murni``, ``indikator|murni|own|1`` ...) a SIPD sync
    stated, when that set changes: a later sync's silence about a fact is not a statement that it
    stands, so only what it stated is restated when an earlier sync is recorded after it
    (ledger.application.sipd.sync). Bookkeeping of the sync: it puts no line in force."""

    facts: tuple[str, ...]


@line_event(money=True)
class PaguShifted(Aggregate.Event):
    """One side of a pergeseran: ``delta`` is negative on the giving line."""

    stage: Stage
    delta: int
    counterpart: str
    shift_id: UUID


@line_event()
class EventCorrected(Aggregate.Event):
    """Replaces the figure an earlier event of this line stated; says why in basis.reason."""

    corrects_version: int
    rupiah: Rupiah | None = None
    target: Target | None = None


@line_event()
class RealisasiRecorded(Aggregate.Event):
    """Evaluation figures (Tabel 2.1): target and realisasi in %, by column name."""

    figures: dict[str, Decimal | None]
    indikator: str | None = None  # the indicator as the evaluation table prints it


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


@line_event(money=True)
class RincianStated(Aggregate.Event):
    """A komponen of an account line (level ``rekening``) at a stage. The komponen a document
    states for an account replace those of an earlier statement; the account's pagu at the
    stage is their jumlah added up."""

    stage: Stage
    item: RincianItem
    ke: int = 1  # which komponen of the account, in the order the document prints them
    printed_change: int | None = None  # bertambah/(berkurang) as printed beside it, when the form has it


@line_event()
class RekeningTotalStated(Aggregate.Event):
    """A total the form prints for a sub-kegiatan at a higher account level (``5.1.02 Belanja
    Barang dan Jasa  Rp ...``): money stated twice, checked against its accounts."""

    stage: Stage
    rekening: str
    nama: str | None = None
    rupiah: Rupiah


@line_event(money=True)
class RekeningShifted(Aggregate.Event):
    """One side of a pergeseran between two accounts: ``delta`` is negative on the giving one.
    ``scope`` is where the two accounts part (ledger.pergeseran), ``authority`` and
    ``decision`` the decision that allows it (its kind and its number)."""

    stage: Stage
    delta: int
    counterpart: str
    shift_id: UUID
    scope: ShiftScope
    authority: Authority | None
    decision: str | None = None
