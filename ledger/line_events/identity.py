"""How a budget line is known: its opening, its kode, the names documents print for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.events import Aggregate
from ledger.i18n import phrase
from ledger.kode import Level
from ledger.line_events.bodies import Body, Correction, statement_order
from ledger.line_events.registry import Described, line_event
from ledger.order import OrderKey
from ledger.order import statement_order as typed_order

if TYPE_CHECKING:
    from ledger.line_events.correction import EventCorrected
    from ledger.line_state import LineState


@line_event(identity=True)
class LineOpened(Aggregate.Created):
    opd: str
    tahun: int
    key: str
    kode: str | None
    level: Level
    nama: str
    parent_key: str | None

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        state.line_id = str(self.originator_id)
        state.opd, state.tahun, state.key = self.opd, self.tahun, self.key
        state.kode, state.level, state.parent_key = self.kode, self.level, self.parent_key
        _name(state, self.nama, typed_order(self.basis, self.originator_version))

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        state["line_id"] = body["originator_id"]
        for name in ("opd", "tahun", "key", "kode", "level", "parent_key"):
            state[name] = body[name]
        _stored_name(state, body["nama"], statement_order(body["basis"], body["originator_version"]))

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("line opened"), None, None, f"{self.kode or self.key} {self.nama}")


@line_event(identity=True)
class KodeRecorded(Aggregate.Event):
    kode: str

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        state.kode = self.kode

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        state["kode"] = body["kode"]

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("kode recorded"), None, before.kode, self.kode)


@line_event(naming=True)
class NameStated(Aggregate.Event):
    """A document prints the line under this name (when it differs from the names known, or
    is printed earlier in valid time than the name in force)."""

    nama: str

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        _name(state, self.nama, typed_order(self.basis, self.originator_version))

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        _stored_name(state, body["nama"], statement_order(body["basis"], body["originator_version"]))

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("name printed"), None, None, self.nama)


def _name(state: LineState, nama: str, order: OrderKey) -> None:
    """A line's name is the one printed first in valid time (ties: document reference), so
    that it does not depend on which document happened to open the line."""
    if nama not in state.names:
        state.names.append(nama)
    if order < state.nama_order:
        state.nama, state.nama_order = nama, order


def _stored_name(state: Body, nama: str, order: OrderKey) -> None:
    if nama not in state["names"]:
        state["names"].append(nama)
    if order < state["nama_order"]:
        state["nama"], state["nama_order"] = nama, order
