"""Events of a budget line (one per OPD x tahun x kode). Past tense, frozen."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from ledger.basis import Frozen, Stage
from ledger.events import Aggregate
from ledger.kode import Level
from ledger.money import Rupiah
from ledger.pergeseran import Authority, ShiftScope
from ledger.target import Target


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


class LineOpened(Aggregate.Created):
    opd: str
    tahun: int
    key: str
    kode: str | None
    level: Level
    nama: str
    parent_key: str | None


class KodeRecorded(Aggregate.Event):
    kode: str


class NameStated(Aggregate.Event):
    """A document prints the line under this name (when it differs from the names known, or
    is printed earlier in valid time than the name in force)."""

    nama: str


class DetailsStated(Aggregate.Event):
    stage: Stage
    lokasi: str | None = None
    sumber_dana: str | None = None
    catatan: str | None = None


class PaguSet(Aggregate.Event):
    stage: Stage
    rupiah: Rupiah


class PaguRevised(Aggregate.Event):
    stage: Stage
    rupiah: Rupiah
    previous: Rupiah | None


class TargetSet(Aggregate.Event):
    stage: Stage
    role: Role
    target: Target
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)


class TargetChanged(Aggregate.Event):
    stage: Stage
    role: Role
    target: Target
    previous: Target | None
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)


class IndicatorSet(Aggregate.Event):
    stage: Stage
    role: Role
    text: str
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)


class IndicatorChanged(Aggregate.Event):
    stage: Stage
    role: Role
    text: str
    previous: str | None
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)


class TriwulanAllocated(Aggregate.Event):
    stage: Stage
    slots: tuple[TwSlot, TwSlot, TwSlot, TwSlot]


class TriwulanReallocated(Aggregate.Event):
    """Rp (and target) moved between triwulan of one line; the deltas net to zero."""

    stage: Stage
    rupiah: tuple[int, int, int, int]
    target: tuple[Decimal, Decimal, Decimal, Decimal] | None = None


class PenanggungJawabAssigned(Aggregate.Event):
    name: str
    previous: str | None = None


class ForwardEstimateSet(Aggregate.Event):
    tahun: int
    indikator: str | None = None
    target: Target | None = None
    rupiah: Rupiah | None = None


class LineWithdrawn(Aggregate.Event):
    """The source no longer holds the line at this stage (SIPD: the row turned ``active = 0`` or
    was gone at a sync). Nothing is deleted: from its date the line holds no money at the stage
    (pagu 0, its own statement), and its earlier figures stay in the history."""

    stage: Stage


class LineRestored(Aggregate.Event):
    """A withdrawn line is held again at this stage; its figures come with the statements of
    the same source that follow."""

    stage: Stage


class SipdFactsStated(Aggregate.Event):
    """Which of the line's facts (``pagu|murni``, ``indikator|murni|own|1`` ...) a SIPD sync
    stated, when that set changes: a later sync's silence about a fact is not a statement that it
    stands, so only what it stated is restated when an earlier sync is recorded after it
    (ledger.application.sipd.sync). Bookkeeping of the sync: it puts no line in force."""

    facts: tuple[str, ...]


class PaguShifted(Aggregate.Event):
    """One side of a pergeseran: ``delta`` is negative on the giving line."""

    stage: Stage
    delta: int
    counterpart: str
    shift_id: UUID


class EventCorrected(Aggregate.Event):
    """Replaces the figure an earlier event of this line stated; says why in basis.reason."""

    corrects_version: int
    rupiah: Rupiah | None = None
    target: Target | None = None


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


class RincianStated(Aggregate.Event):
    """A komponen of an account line (level ``rekening``) at a stage. The komponen a document
    states for an account replace those of an earlier statement; the account's pagu at the
    stage is their jumlah added up."""

    stage: Stage
    item: RincianItem
    ke: int = 1  # which komponen of the account, in the order the document prints them
    printed_change: int | None = None  # bertambah/(berkurang) as printed beside it, when the form has it


class RekeningTotalStated(Aggregate.Event):
    """A total the form prints for a sub-kegiatan at a higher account level (``5.1.02 Belanja
    Barang dan Jasa  Rp ...``): money stated twice, checked against its accounts."""

    stage: Stage
    rekening: str
    nama: str | None = None
    rupiah: Rupiah


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
