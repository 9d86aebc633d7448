"""The plan of one OPD for one tahun: the register of its lines and its stated totals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from ledger.basis import Basis, Frozen, Source, Stage
from ledger.errors import AlreadyRecorded, InvalidValue, LedgerError, NotFound, RuleViolated
from ledger.events import Aggregate, DomainEvent, stable_id
from ledger.i18n import _
from ledger.kode import Kode, Level, holds_money, kode_identity
from ledger.line_events import Role
from ledger.matching import match_line
from ledger.money import Rupiah
from ledger.pelaksanaan import AnggaranKasStated, Bukti, RealisasiKeuanganRecorded, RealisasiKinerjaRecorded
from ledger.periode import Periode
from ledger.rekening import KodeRekening
from ledger.target import Target


def rekening_key(sub_kegiatan: str, rekening: KodeRekening) -> str:
    """The key of an account line: its sub-kegiatan's kode (its key while it has none) and its
    kode rekening, as people write it: ``7.01.01.2.06.08/5.1.02.01.01.0024``."""
    return f"{sub_kegiatan}/{rekening}"


def account_owner(ref: LineRef) -> str:
    """What an account's key names its sub-kegiatan (13/2006: kegiatan) by: the identity of its
    kode (``1.08.01.01`` however the document printed it), or its key while it has none."""
    return kode_identity(ref.kode) if ref.kode else ref.key


def is_rekening_ref(ref: str) -> bool:
    """``<sub-kegiatan>/<kode rekening>``: names may hold a slash ("Kabupaten/Kota"), so only a
    full kode rekening after the last one makes a reference an account's."""
    _head, slash, tail = ref.rpartition("/")
    if not slash:
        return False
    try:
        return KodeRekening.read(tail).is_account
    except InvalidValue:
        return False


def plan_id(opd: str, tahun: int) -> UUID:
    return stable_id("plan", opd, tahun)


class LineRef(Frozen):
    key: str
    line_id: UUID
    kode: str | None
    level: Level
    nama: str
    parent_key: str | None


class PlanOpened(Aggregate.Created):
    opd: str
    tahun: int


class LineRegistered(Aggregate.Event):
    line: LineRef


class LineKodeRecorded(Aggregate.Event):
    key: str
    kode: str


class TotalStated(Aggregate.Event):
    """A total the document states for the whole OPD (grand total, triwulan footer)."""

    stage: Stage
    rupiah: Rupiah | None
    triwulan: tuple[Rupiah | None, Rupiah | None, Rupiah | None, Rupiah | None] | None = None
    label: str


class SasaranStated(Aggregate.Event):
    tujuan: str | None = None
    indikator_tujuan: str | None = None
    sasaran: str | None = None
    indikator: str | None = None
    target: str | None = None


class IndikatorTahunanStated(Aggregate.Event):
    indikator: str
    jenis: str
    tahun: int
    nilai: Decimal | None


class SipdSynced(Aggregate.Event):
    """SIPD was read at ``instant`` (``renja sipd sync``): the register of syncs. Its statements
    (only what changed since SIPD last spoke) follow with this sync as their source; a sync that
    changed nothing is still remembered, so that a sync of an earlier instant recorded later
    knows what SIPD said at this one (docs/sipd.md, order)."""

    instant: datetime
    stage: Stage
    pergeseran: bool = False
    unit: str
    source: str
    sub_kegiatan: int  # rows read, active
    changes: int  # statements recorded with it


class Plan(Aggregate):
    def __init__(self) -> None:
        self.opd = ""
        self.tahun = 0
        self.lines: dict[str, LineRef] = {}
        self.by_kode: dict[str, str] = {}  # a kode's identity (kode_identity) -> its line's key
        self.kode_sources: dict[str, Source] = {}  # a kode's identity -> where it was first printed
        self.statements: list[DomainEvent] = []

    @classmethod
    def open(cls, opd: str, tahun: int, basis: Basis) -> Plan:
        return cls._create(PlanOpened, id=plan_id(opd, tahun), opd=opd, tahun=tahun, basis=basis)

    def when(self, event: DomainEvent) -> None:
        if isinstance(event, PlanOpened):
            self.opd, self.tahun = event.opd, event.tahun
        elif isinstance(event, LineRegistered):
            self.lines[event.line.key] = event.line
            if event.line.kode and event.line.level is not Level.REKENING:  # by_kode: the program codes
                self.by_kode[kode_identity(event.line.kode)] = event.line.key
                self.kode_sources[kode_identity(event.line.kode)] = event.basis.source
        elif isinstance(event, LineKodeRecorded):
            self.lines[event.key] = self.lines[event.key].model_copy(update={"kode": event.kode})
            self.by_kode[kode_identity(event.kode)] = event.key
            self.kode_sources[kode_identity(event.kode)] = event.basis.source
        else:
            self.statements.append(event)

    # --- rules -----------------------------------------------------------------
    def check_parent_exists(self, kode: Kode | None, parent_key: str | None) -> None:
        if parent_key is not None and parent_key not in self.lines:
            raise RuleViolated("parent-missing", f"{self.opd} {self.tahun}",
                               f"parent line {parent_key!r} does not exist in this plan")
        # A program may stand without its urusan/bidang rows; a kegiatan needs its program.
        if kode is not None and kode.parent is not None and kode.level.rank > Level.PROGRAM.rank:
            parent = str(kode.parent)
            if parent not in self.by_kode:
                raise RuleViolated("parent-missing", str(kode),
                                   f"its parent {parent} is not a line of the plan {self.opd} {self.tahun}")

    def check_account_parent(self, ref: LineRef) -> None:
        parent = self.lines.get(ref.parent_key or "")
        if parent is None or not holds_money(parent.level, parent.kode):
            raise RuleViolated("parent-missing", ref.key,
                               f"an account belongs to a sub-kegiatan of the plan {self.opd} {self.tahun} (in the codes "
                               f"of Permendagri 13/2006, to a kegiatan); "
                               f"{ref.parent_key!r} is not one")

    def check_no_rekening(self, key: str, label: str) -> None:
        """A sub-kegiatan detailed in accounts moves with them: its pagu is their sum."""
        if any(line.level is Level.REKENING for line in self.children(key)):
            raise RuleViolated("shift-has-rekening", label,
                               _("is detailed in accounts (kode rekening): shift between its accounts "
                                 "(SUB-KEGIATAN/KODE-REKENING, with --dasar) so that the sub-kegiatan and its rincian "
                                 "stay together"))

    def check_kode_free(self, kode: str, key: str) -> None:
        holder = self.by_kode.get(kode_identity(kode))
        if holder is not None and holder != key:
            raise AlreadyRecorded(f"kode {kode} already belongs to line {holder!r} of {self.opd} {self.tahun}")

    # --- lookups ---------------------------------------------------------------
    def resolve(self, ref: str) -> LineRef:
        """Find a line by kode (dotted or spaced), key, or normalized name (ledger.matching).
        A kode or a key is looked up directly: an import resolves every row, and scanning all
        lines for each would make a large document quadratic."""
        try:
            kode: str | None = str(Kode.parse(ref))
        except InvalidValue:
            kode = None
        if kode is not None and kode in self.by_kode:
            return self.lines[self.by_kode[kode]]
        if ref.strip() in self.lines:  # (no line has the kode: every kode is in by_kode)
            return self.lines[ref.strip()]
        if is_rekening_ref(ref):
            return self.rekening_line(ref)
        found = match_line(ref, list(self.lines.values()))
        if len(found) > 1:
            raise LedgerError(f"{ref!r} matches {len(found)} lines of {self.opd} {self.tahun}: give the kode")
        if not found:
            raise NotFound("line", ref, f"no line of {self.opd} {self.tahun} has this kode or name")
        return found[0]

    def rekening_line(self, ref: str) -> LineRef:
        """An account line by ``<sub-kegiatan kode, key or name>/<kode rekening>``."""
        sub_ref, _slash, rekening = ref.rpartition("/")
        if not sub_ref:
            raise InvalidValue("rekening", ref, "<sub-kegiatan kode>/<kode rekening>, e.g. 7.01.01.2.06.08/5.1.02.01.01.0024")
        found = self.find_rekening(self.resolve(sub_ref), KodeRekening.read(rekening))
        if found is None:
            raise NotFound("rekening", ref, f"no account {rekening.strip()} under this sub-kegiatan in {self.opd} {self.tahun}")
        return found

    def find_rekening(self, sub: LineRef, rekening: KodeRekening) -> LineRef | None:
        """The account of a sub-kegiatan, keyed by the sub-kegiatan's kode, or by its key when the
        account was opened before the sub-kegiatan's kode was known."""
        for key in dict.fromkeys(rekening_key(part, rekening) for part in (account_owner(sub), sub.key)):
            if key in self.lines:
                return self.lines[key]
        return None

    def children(self, key: str) -> list[LineRef]:
        return [line for line in self.lines.values() if line.parent_key == key]

    # --- commands --------------------------------------------------------------
    def register_line(self, ref: LineRef, basis: Basis) -> None:
        if ref.key in self.lines:
            raise AlreadyRecorded(f"line {ref.key!r} is already open in {self.opd} {self.tahun}")
        if ref.level is Level.REKENING:
            self.check_account_parent(ref)
            self.trigger_event(LineRegistered, line=ref, basis=basis)
            return
        kode = Kode.read(ref.kode, ref.level) if ref.kode else None
        self.check_parent_exists(kode, ref.parent_key)
        if ref.kode:
            self.check_kode_free(ref.kode, ref.key)
        self.trigger_event(LineRegistered, line=ref, basis=basis)

    def record_kode(self, key: str, kode: str, basis: Basis) -> None:
        self.check_kode_free(kode, key)
        if self.lines[key].kode != kode:
            self.trigger_event(LineKodeRecorded, key=key, kode=kode, basis=basis)

    def state_total(self, stage: Stage, label: str, basis: Basis, *, rupiah: Rupiah | None,
                    triwulan: tuple[Rupiah | None, Rupiah | None, Rupiah | None, Rupiah | None] | None = None) -> None:
        self.trigger_event(TotalStated, stage=stage, rupiah=rupiah, triwulan=triwulan, label=label, basis=basis)

    def state_sasaran(self, basis: Basis, **fields: str | None) -> None:
        self.trigger_event(SasaranStated, basis=basis, **fields)

    def state_indikator_tahunan(self, indikator: str, jenis: str, tahun: int, nilai: Decimal | None, basis: Basis) -> None:
        self.trigger_event(IndikatorTahunanStated, indikator=indikator, jenis=jenis, tahun=tahun, nilai=nilai, basis=basis)

    def record_sipd_sync(self, *, instant: datetime, stage: Stage, pergeseran: bool, unit: str, source: str,
                         sub_kegiatan: int, changes: int, basis: Basis) -> None:
        self.trigger_event(SipdSynced, instant=instant, stage=stage, pergeseran=pergeseran, unit=unit, source=source,
                           sub_kegiatan=sub_kegiatan, changes=changes, basis=basis)

    def sipd_syncs(self) -> list[SipdSynced]:
        return sorted((e for e in self.statements if isinstance(e, SipdSynced)), key=lambda e: e.instant)

    # --- the year as it is spent (ledger.pelaksanaan) -------------------------------------
    def check_holds_money(self, key: str, what: str) -> None:
        """An anggaran kas or a realisasi of money belongs to a line that holds money: a
        sub-kegiatan, an account, or a kegiatan of a plan that has no sub-kegiatan."""
        line = self.lines.get(key)
        if line is None:
            raise NotFound("line", key, f"no line of {self.opd} {self.tahun}")
        if line.level not in (Level.SUB_KEGIATAN, Level.REKENING, Level.KEGIATAN):
            raise RuleViolated("pelaksanaan-level", line.kode or key,
                               _("{what} belongs to a sub-kegiatan, a kegiatan or an account, not to a {level}").format(
                                   what=what, level=line.level.value))

    def check_realisasi_year(self, tahun: int, subject: str) -> None:
        if tahun not in (self.tahun - 1, self.tahun):
            raise RuleViolated("realisasi-tahun", subject,
                               _("a realisasi of {tahun} in the plan of {plan}: a plan reports its own year and the "
                                 "year before (its evaluation)").format(tahun=tahun, plan=self.tahun))

    def state_anggaran_kas(self, key: str, stage: Stage, bulan: tuple[Rupiah, ...], basis: Basis) -> None:
        self.check_holds_money(key, _("an anggaran kas"))
        if len(bulan) != 12 or any(amount < 0 for amount in bulan):
            raise RuleViolated("kas-months", self.lines[key].kode or key,
                               _("an anggaran kas states twelve months, none below zero"))
        self.trigger_event(AnggaranKasStated, line_key=key, stage=stage, bulan=bulan, basis=basis)

    def record_realisasi_keuangan(self, key: str, tahun: int, periode: Periode, rupiah: Rupiah, bukti: Bukti,
                                  basis: Basis, keterangan: str | None = None) -> None:
        self.check_holds_money(key, _("a realisasi of money"))
        self.check_realisasi_year(tahun, self.lines[key].kode or key)
        if rupiah < 0:
            raise RuleViolated("realisasi-negative", self.lines[key].kode or key,
                               _("a realisasi is not below zero (a refund is stated as the period's corrected figure)"))
        self.trigger_event(RealisasiKeuanganRecorded, line_key=key, tahun=tahun, periode=periode.key, rupiah=rupiah,
                           bukti=bukti, keterangan=keterangan, basis=basis)

    def record_realisasi_kinerja(self, key: str, tahun: int, periode: Periode, capaian: Target, bukti: Bukti,
                                 basis: Basis, *, role: Role = Role.OWN, ke: int = 1, pendorong: str | None = None,
                                 penghambat: str | None = None) -> None:
        if key not in self.lines:
            raise NotFound("line", key, f"no line of {self.opd} {self.tahun}")
        self.check_realisasi_year(tahun, self.lines[key].kode or key)
        self.trigger_event(RealisasiKinerjaRecorded, line_key=key, tahun=tahun, periode=periode.key, role=role, ke=ke,
                           capaian=capaian, bukti=bukti, pendorong=pendorong, penghambat=penghambat, basis=basis)
