"""A SIPD sync: the snapshot compared with what SIPD last said, and only the differences recorded.

1. The sync's instant is its valid time (``Snapshot.instant``, else ``--at``, else now); its
   statements are effective on that date, after every earlier sync of the plan.
2. The plan's lines are found by kode (or by name, a line a document opened before its kode was
   known), opened when new, exactly as a document's import does (``open_row_lines``).
3. What SIPD said is each line's events from SIPD syncs up to this instant, folded
   (``sipd_state``); the snapshot's facts (``facts``) that differ are recorded, each with the
   table, row and value it comes from.
4. A line SIPD held and the snapshot no longer holds (``active = 0`` or gone) is withdrawn; one
   that comes back is restored.
5. If a later sync is already recorded, what it said unchanged is restated at its instant, so
   that syncs recorded in any order give the same answers (docs/sipd.md, order).
6. The sync is remembered (``SipdSynced``) even when nothing changed; syncing the same instant
   again records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from ledger.application.importing.resolve import RowLine, assign_parents, open_row_lines, resolve_lines, row_line
from ledger.application.importing.rows import Row
from ledger.application.sipd.facts import (
    KINDS,
    FactKey,
    Stated,
    fact_name,
    facts_of_line,
    kas_facts,
    record_kas,
    sort_key,
)
from ledger.application.sipd.snapshot import Snapshot, SubKegiatan
from ledger.application.sipd.stated import SipdStage, snapshot_facts
from ledger.application.unit_of_work import UnitOfWork
from ledger.basis import Basis, Source
from ledger.document import DocumentKind
from ledger.events import DomainEvent, stable_id
from ledger.i18n import _
from ledger.kode import Level
from ledger.kodefikasi import Kodefikasi
from ledger.line import BudgetLine
from ledger.line_fold import fold_line
from ledger.line_state import LineState
from ledger.order import OrderKey, statement_order
from ledger.pelaksanaan import fold_pelaksanaan
from ledger.plan import LineRef, Plan, account_owner, rekening_key
from ledger.timeless import IDENTITY_EVENTS

KIND = DocumentKind.SIPD.value


@dataclass(frozen=True)
class SyncPoint:
    """One sync as its statements name it: the source of each, and its place in valid time."""

    opd: str
    tahun: int
    unit: str
    instant: datetime

    @property
    def document(self) -> str:
        return f"SIPD {self.instant:%Y-%m-%d %H:%M:%S} ({self.unit})"

    @property
    def document_id(self) -> UUID:
        return stable_id("sipd", self.opd, self.tahun, self.unit, self.instant.isoformat())

    def source(self, table: str | None = None, row: str | None = None, printed: str | None = None) -> Source:
        return Source(document=self.document, document_id=self.document_id, kind=KIND, table=table, row=row,
                      printed=printed)

    @property
    def cutoff(self) -> OrderKey:
        """Every statement of this sync and before it comes at or before this key."""
        return (1, self.instant.date().isoformat(), DocumentKind.SIPD.precedence,
                f"{self.document}|{self.document_id.hex}", 2**62)


def sipd_events(events: Iterable[DomainEvent], upto: OrderKey) -> list[DomainEvent]:
    """The events SIPD's syncs stated up to ``upto`` (and a line's identity): a line's, or a plan's."""
    return [event for event in events if isinstance(event, IDENTITY_EVENTS) or (
        event.basis.source.kind == KIND and statement_order(event.basis, event.originator_version) <= upto)]


def sipd_state(line: BudgetLine, upto: OrderKey, facts: list[DomainEvent] | None = None) -> LineState:
    return fold_line(sipd_events(line.facts if facts is None else facts, upto))


class SipdSync:
    def __init__(self, uow: UnitOfWork, snapshot: Snapshot, *, opd: str, stage: SipdStage, kodefikasi: Kodefikasi,
                 at: datetime | None, reason: str) -> None:
        self.uow, self.snapshot, self.stage, self.kodefikasi = uow, snapshot, stage, kodefikasi
        instant = snapshot.instant or at or datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        self.point = SyncPoint(opd, snapshot.tahun, snapshot.unit_kode, instant.replace(tzinfo=None))
        self.reason = reason
        self.stated: dict[FactKey, Stated] = {}
        self.inactive: dict[str, SubKegiatan] = {}  # by line key: the rows SIPD no longer holds (open_lines)
        self.changes = 0  # statements of SIPD's recorded (SipdSynced.changes)

    def basis(self, point: SyncPoint, where: str | None, printed: str | None, reason: str) -> Basis:
        table, _sep, row = (where or "").partition(" ")
        return self.uow.basis(effective_on=point.instant.date(), reason=reason,
                              source=point.source(table or None, row or None, printed))

    def run(self) -> None:
        point = self.point
        plan = self.uow.plan_or_open(point.opd, point.tahun, self.basis(point, None, self.snapshot.source,
                                                                         _("plan opened by a SIPD sync")))
        syncs = plan.sipd_syncs()
        already_synced = any(s.instant == point.instant and s.unit == point.unit for s in syncs)
        later = [s for s in syncs if s.instant > point.instant and s.unit == point.unit]
        keys = self.open_lines(plan)
        self.state_facts(keys)
        self.withdraw_missing(plan, keys)
        self.state_what_was_stated()
        touched = self.record_lines(plan)
        self.record_kas(plan)
        if later:
            self.restate_at(plan, touched, SyncPoint(point.opd, point.tahun, point.unit, later[0].instant))
        if not already_synced:
            plan.record_sipd_sync(instant=point.instant, stage=self.stage.stage, pergeseran=self.stage is SipdStage.PERGESERAN,
                                  unit=point.unit, source=self.snapshot.source,
                                  sub_kegiatan=len(self.snapshot.active()), changes=self.changes,
                                  basis=self.basis(point, None, None, self.sync_reason()))

    def sync_reason(self) -> str:
        words = _("stated by SIPD ({stage})").format(stage=self.stage.value)
        return f"{words}: {self.reason}" if self.reason else words

    # --- lines -------------------------------------------------------------------------
    def open_lines(self, plan: Plan) -> dict[str, str]:
        """The plan's key of every sub-kegiatan (by kode_sbl) and account (by kode_sbl/kode
        rekening) of the snapshot, opening those the plan does not hold yet. A row SIPD no longer
        holds (``active = 0``) opens its line too, with nothing in force: that SIPD said it is
        not there stands against a sync of an earlier instant recorded later."""
        lines: dict[str, RowLine] = {}
        for sub in sorted(self.snapshot.subs.values(), key=lambda sub: sub.active):  # the active row last: it names
            named = ((Level.PROGRAM, *sub.program), (Level.KEGIATAN, *sub.kegiatan), (Level.SUB_KEGIATAN, sub.kode, sub.nama))
            for level, kode, nama in named:
                table, _sep, row = sub.where.partition(" ")
                found = row_line(table, Row(table, row, {"level": level.value, "kode": str(kode), "nama": nama}),
                                 self.kodefikasi)
                if found is not None and (str(kode) not in lines or level is Level.SUB_KEGIATAN):
                    lines[str(kode)] = found
        ordered = sorted(lines.values(), key=lambda line: (line.level.rank, str(line.kode)))
        resolve_lines(plan, ordered)
        key_by_kode = dict(plan.by_kode)
        key_by_kode.update({str(line.kode): line.key for line in ordered if line.kode is not None})
        assign_parents(ordered, key_by_kode)
        open_row_lines(self.uow, plan, ordered, lambda line, printed: self.basis(
            self.point, f"{line.row.file} {line.row.row}", line.row.get("kode") if printed else None,
            self.sync_reason()))
        keys: dict[str, str] = {}
        self.inactive = {lines[str(sub.kode)].key: sub for sub in self.snapshot.subs.values() if not sub.active}
        for sub in self.snapshot.active():
            ref = plan.lines[lines[str(sub.kode)].key]
            keys[sub.kode_sbl] = ref.key
            for rekening in sub.accounts:
                keys[f"{sub.kode_sbl}/{rekening}"] = self.account(plan, ref, sub, rekening).key
        return keys

    def account(self, plan: Plan, sub_ref: LineRef, sub: SubKegiatan, kode: str) -> LineRef:
        account = sub.accounts[kode]
        found = plan.find_rekening(sub_ref, account.rekening)
        basis = self.basis(self.point, account.where, kode, self.sync_reason())
        if found is None:
            self.uow.open_line(plan, key=rekening_key(account_owner(sub_ref), account.rekening), kode=kode,
                               level=Level.REKENING, nama=account.nama or kode, parent_key=sub_ref.key, basis=basis)
            return plan.lines[rekening_key(account_owner(sub_ref), account.rekening)]
        if account.nama:
            self.uow.line(plan, found.key).state_name(account.nama, basis)
        return found

    # --- what the snapshot states ------------------------------------------------------
    def state(self, key: FactKey, value: Any, where: str, printed: str | None = None) -> None:
        if value is not None:
            self.stated[key] = Stated(value, where, printed)

    def state_facts(self, keys: dict[str, str]) -> None:
        self.stated.update(snapshot_facts(self.snapshot, self.stage, keys))

    def state_what_was_stated(self) -> None:
        """Each line's ``stated`` fact: the names of the facts this sync states of it."""
        by_line: dict[str, list[str]] = {}
        first_where: dict[str, str] = {}  # the row of each line's first fact (one pass, not a scan per line)
        for key, stated in self.stated.items():
            by_line.setdefault(key[0], []).append(fact_name(key))
            first_where.setdefault(key[0], stated.where)
        for line_key, names in by_line.items():
            self.stated[(line_key, "stated")] = Stated(tuple(sorted(names)), first_where[line_key])

    def withdraw_missing(self, plan: Plan, keys: dict[str, str]) -> None:
        """The lines SIPD held at the stage that the snapshot no longer holds."""
        stage = self.stage.stage
        held = set(keys.values())
        rka_read = "data_rka" in self.snapshot.tables
        for ref in list(plan.lines.values()):
            if ref.key in held or ref.level not in (Level.SUB_KEGIATAN, Level.REKENING):
                continue
            if ref.level is Level.REKENING and not rka_read and ref.parent_key in held:
                continue  # the accounts of a sub-kegiatan SIPD still holds, from a source without data_rka
            line = self.uow.line(plan, ref.key)
            inactive = self.inactive.get(ref.key)
            if inactive is None and not any(fact.basis.source.kind == KIND for fact in line.facts):
                continue  # a line only documents speak of
            where = inactive.where if inactive else _("data_sub_keg_bl (no longer listed)")
            # SIPD does not hold it at this instant: said, so that a sync recorded later cannot make it held here.
            self.state((ref.key, "held", stage.value), False, where)
            figures = sipd_state(line, self.point.cutoff).figures(stage)
            if figures is not None and not figures.withdrawn and (figures.pagu is not None or figures.rincian):
                self.state((ref.key, "withdrawn", stage.value), True, where)

    # --- recording ---------------------------------------------------------------------
    def record_lines(self, plan: Plan) -> dict[str, list[DomainEvent]]:
        """Record what differs, line by line; returns each touched line's events before."""
        by_line: dict[str, list[tuple[FactKey, Stated]]] = {}
        for key, stated in self.stated.items():
            if key[1] != "kas":
                by_line.setdefault(key[0], []).append((key, stated))
        touched: dict[str, list[DomainEvent]] = {}
        for line_key, entries in by_line.items():
            line = self.uow.line(plan, line_key)
            before = list(line.facts)
            current = facts_of_line(sipd_state(line, self.point.cutoff))
            for key, stated in sorted(entries, key=lambda entry: sort_key(entry[0])):
                kind = KINDS[key[1]]
                if key[1] == "held" or current.get(key, kind.default) == stated.value:
                    continue  # (held: said by the stated set and the withdrawal; recorded only when restated)
                kind.record(line, key[2:], stated.value, self.basis(self.point, stated.where, stated.printed,
                                                                     self.sync_reason()), plan.tahun)
                self.count(key)
            if len(line.facts) != len(before):
                touched[line_key] = before
        return touched

    def count(self, key: FactKey) -> None:
        if key[1] != "stated":  # (the sync's bookkeeping is no statement of SIPD's)
            self.changes += 1

    def record_kas(self, plan: Plan) -> None:
        wanted = {key: stated for key, stated in self.stated.items() if key[1] == "kas"}
        if not wanted:
            return
        current = kas_facts(fold_pelaksanaan(sipd_events(plan.statements, self.point.cutoff)))
        for key, stated in sorted(wanted.items()):
            if current.get(key) != stated.value:
                record_kas(plan, key, stated.value, self.basis(self.point, stated.where, stated.printed,
                                                               self.sync_reason()))
                self.count(key)

    def restate_at(self, plan: Plan, touched: dict[str, list[DomainEvent]], later: SyncPoint) -> None:
        """What the next sync said, restated at its instant where this one, recorded late, would
        change it: that sync saw its figures unchanged and so recorded nothing of them."""
        reason = _("SIPD still said this at {instant} (restated: the sync of {earlier} was recorded later)").format(
            instant=f"{later.instant:%Y-%m-%d %H:%M:%S}", earlier=f"{self.point.instant:%Y-%m-%d %H:%M:%S}")
        absent: dict[str, set[str]] = {}  # sub-kegiatan the later sync said were not there: stages
        said_of: dict[str, set[str]] = {}  # what the later sync stated of each touched line
        for line_key, before in sorted(touched.items(), key=lambda item: plan.lines[item[0]].level.rank):
            line = self.uow.line(plan, line_key)
            then = facts_of_line(sipd_state(line, later.cutoff, before))
            now = facts_of_line(sipd_state(line, later.cutoff))
            said = set(then.get((line_key, "stated")) or ()) | {"stated"}  # what the later sync stated of the line
            stages = {s for s in _stages(said) if not then.get((line_key, "held", s), False)}
            if stages:
                absent[line_key] = stages
            # The accounts of a sub-kegiatan it said was not there were not there either.
            said |= {f"held|{s}" for s in absent.get(plan.lines[line_key].parent_key or "", ())}
            said_of[line_key] = said
            for key in sorted(then.keys() | now.keys() | {(line_key, "held", s) for s in _stages(said)}, key=sort_key):
                kind = KINDS[key[1]]
                value = then.get(key, kind.default)
                if fact_name(key) not in said or value is None or value == now.get(key, kind.default):
                    continue
                kind.record(line, key[2:], value, self.basis(later, None, None, reason), plan.tahun)
        pending = {id(e) for e in plan.pending_events}  # by identity: a list's `in` compared every pair by value
        kas_then = kas_facts(fold_pelaksanaan(sipd_events([e for e in plan.statements if id(e) not in pending],
                                                          later.cutoff)))
        kas_now = kas_facts(fold_pelaksanaan(sipd_events(plan.statements, later.cutoff)))
        for key, value in sorted(kas_then.items()):
            if fact_name(key) in said_of.get(key[0], ()) and kas_now.get(key) != value:
                record_kas(plan, key, value, self.basis(later, None, None, reason))


def _stages(names: set[str]) -> set[str]:
    return {name.split("|")[1] for name in names if name.startswith("held|")}
