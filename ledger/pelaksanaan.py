"""The year as it is spent: the anggaran kas (the monthly cash plan) and the realisasi of money
and of kinerja, as dated statements of the plan about its lines.

They are events of the plan (like its stated totals), each naming the line it is about by
its key: a budget line's own fold and read model stay what they are, and one fold here gives
their meaning to every reader (``fold_pelaksanaan``). Like every statement they apply in
valid time (``effective_on``) and by the precedence rule, never by recording order:

* an ``AnggaranKasStated`` is the whole twelve-month plan of a line at a stage; a later one
  (the anggaran kas of the DPPA, a revision) replaces it;
* a ``RealisasiKeuanganRecorded`` is what a line spent in one period (a month, or a triwulan
  when only the triwulan is reported), with its proof (SP2D, LRA, a report, a document's table);
  a later statement of the same period replaces it (a corrected LRA);
* a ``RealisasiKinerjaRecorded`` is what an indicator achieved in a period, with the factors
  the evaluation names (pendorong, penghambat).

Rule for the money realised by month: a month counts its own statement; a triwulan statement
counts in the triwulan's last month when none of its months is stated (the triwulan was
reported as a whole), and is ignored once a month of it is stated (never counted twice).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import singledispatch

from pydantic import field_validator

from ledger.basis import Source, Stage
from ledger.events import Aggregate, DomainEvent
from ledger.i18n import N_, _
from ledger.line_events import Role
from ledger.money import Rupiah
from ledger.order import statement_order
from ledger.periode import Periode
from ledger.target import Target


class Bukti(StrEnum):
    """What a realisasi figure rests on."""

    SP2D = "sp2d"  # Surat Perintah Pencairan Dana: money paid out
    LRA = "lra"  # Laporan Realisasi Anggaran
    LAPORAN = "laporan"  # a realisasi or evaluation report of the office
    DOKUMEN = "dokumen"  # a table of another document (e.g. Tabel 2.1 of a Renja)

    @property
    def label(self) -> str:
        return _(_BUKTI_LABELS[self])


_BUKTI_LABELS = {Bukti.SP2D: N_("SP2D"), Bukti.LRA: N_("LRA"), Bukti.LAPORAN: N_("report"),
                 Bukti.DOKUMEN: N_("document")}


class AnggaranKasStated(Aggregate.Event):
    line_key: str
    stage: Stage
    bulan: tuple[Rupiah, ...]  # twelve amounts, January first

    @field_validator("bulan")
    @classmethod
    def check_twelve(cls, bulan: tuple[Rupiah, ...]) -> tuple[Rupiah, ...]:
        if len(bulan) != 12:
            raise ValueError("an anggaran kas states twelve months")
        return bulan


class RealisasiKeuanganRecorded(Aggregate.Event):
    line_key: str
    tahun: int
    periode: str  # Periode.key
    rupiah: Rupiah
    bukti: Bukti
    keterangan: str | None = None


class RealisasiKinerjaRecorded(Aggregate.Event):
    line_key: str
    tahun: int
    periode: str  # Periode.key
    role: Role = Role.OWN
    ke: int = 1
    capaian: Target
    bukti: Bukti
    pendorong: str | None = None
    penghambat: str | None = None


PELAKSANAAN_EVENTS = (AnggaranKasStated, RealisasiKeuanganRecorded, RealisasiKinerjaRecorded)


@dataclass(frozen=True)
class KasPlan:
    stage: Stage
    bulan: tuple[Rupiah, ...]
    effective_on: date
    source: Source

    def upto(self, month: int) -> int:
        return sum(self.bulan[:month])

    def triwulan(self, number: int) -> int:
        return sum(self.bulan[3 * number - 3:3 * number])


@dataclass(frozen=True)
class Realised:
    periode: Periode
    rupiah: Rupiah
    effective_on: date
    source: Source
    bukti: Bukti
    keterangan: str | None


@dataclass(frozen=True)
class Achieved:
    periode: Periode
    role: Role
    ke: int
    capaian: Target
    effective_on: date
    source: Source
    bukti: Bukti
    pendorong: str | None
    penghambat: str | None


@dataclass
class Pelaksanaan:
    """One line's execution in one year, as its statements leave it."""

    line_key: str
    kas: dict[Stage, KasPlan] = field(default_factory=dict)
    kas_statements: list[KasPlan] = field(default_factory=list)  # every plan, in valid-time order
    keuangan: dict[tuple[int, str], Realised] = field(default_factory=dict)  # by (tahun, periode key)
    kinerja: dict[tuple[int, str, Role, int], Achieved] = field(default_factory=dict)

    def kas_in_force(self) -> KasPlan | None:
        """The anggaran kas of the plan in force: the perubahan's over the murni's."""
        return self.kas.get(Stage.PERUBAHAN) or self.kas.get(Stage.MURNI)

    def by_month(self, tahun: int, by: date | None = None) -> list[int | None]:
        """Money realised in each month of the year (the module's rule for triwulan statements);
        with ``by``, as far as it was stated by that date (valid time): what a revision made on
        that date should have been set against."""
        months: list[int | None] = [None] * 12
        entries = [entry for (year, _key), entry in self.keuangan.items()
                   if year == tahun and (by is None or entry.effective_on <= by)]
        for entry in entries:
            if not entry.periode.triwulan:
                months[entry.periode.nomor - 1] = int(entry.rupiah)
        for entry in entries:
            if entry.periode.triwulan and all(months[month - 1] is None for month in entry.periode.months):
                months[entry.periode.last_month - 1] = int(entry.rupiah)
        return months

    def realised_upto(self, tahun: int, month: int = 12, by: date | None = None) -> int:
        return sum(value or 0 for value in self.by_month(tahun, by)[:month])

    def realised_in_triwulan(self, tahun: int, number: int) -> int | None:
        months = self.by_month(tahun)[3 * number - 3:3 * number]
        return None if all(value is None for value in months) else sum(value or 0 for value in months)

    def achieved(self, tahun: int, role: Role = Role.OWN, ke: int = 1) -> dict[str, Achieved]:
        """An indicator's realisasi by periode key."""
        return {key: entry for (year, key, each_role, each_ke), entry in self.kinerja.items()
                if year == tahun and each_role is role and each_ke == ke}


def fold_pelaksanaan(events: Iterable[DomainEvent], as_of: date | None = None) -> dict[str, Pelaksanaan]:
    """Each line's execution, by line key, from a plan's events in any order (those effective
    after ``as_of`` left out): the statements apply in the precedence order of every statement."""
    chosen = [event for event in events if isinstance(event, PELAKSANAAN_EVENTS)
              and (as_of is None or event.basis.effective_on <= as_of)]
    found: dict[str, Pelaksanaan] = {}
    for event in sorted(chosen, key=lambda event: statement_order(event.basis, event.originator_version)):
        line = found.setdefault(event.line_key, Pelaksanaan(event.line_key))
        _apply(event, line)
    return found


@singledispatch
def _apply(event: DomainEvent, line: Pelaksanaan) -> None:
    raise TypeError(f"{type(event).__name__} is not an event of a line's execution")


@_apply.register
def _kas_stated(event: AnggaranKasStated, line: Pelaksanaan) -> None:
    plan = KasPlan(event.stage, event.bulan, event.basis.effective_on, event.basis.source)
    line.kas[event.stage] = plan
    line.kas_statements.append(plan)


@_apply.register
def _money_realised(event: RealisasiKeuanganRecorded, line: Pelaksanaan) -> None:
    line.keuangan[(event.tahun, event.periode)] = Realised(
        Periode.of_key(event.periode), event.rupiah, event.basis.effective_on, event.basis.source, event.bukti,
        event.keterangan)


@_apply.register
def _kinerja_realised(event: RealisasiKinerjaRecorded, line: Pelaksanaan) -> None:
    line.kinerja[(event.tahun, event.periode, event.role, event.ke)] = Achieved(
        Periode.of_key(event.periode), event.role, event.ke, event.capaian, event.basis.effective_on,
        event.basis.source, event.bukti, event.pendorong, event.penghambat)


def percent(part: int | Decimal | None, whole: int | Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, two decimals; None when undefined."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))
