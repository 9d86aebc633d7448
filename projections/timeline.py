"""Point-in-time views of a plan, answered from the time index.

Only the plan's own events are read, filtered by the time index on both time axes:
``effective_on <= as_of`` (valid time) and ``recorded_at <= known_at`` (system time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from events_store.time_index import TimeIndex
from ledger.basis import Source, Stage
from ledger.document import DocumentRegistered
from ledger.events import DomainEvent
from ledger.kode import Level
from ledger.line_fold import fold_line
from ledger.line_state import LineState
from ledger.plan import TotalStated, plan_id
from ledger.timeless import TIMELESS_EVENTS


@dataclass
class PlanView:
    opd: str
    tahun: int
    as_of: date | None
    known_at: datetime | None
    lines: dict[str, LineState] = field(default_factory=dict)  # by line key: program ... sub-kegiatan
    plan_events: list[DomainEvent] = field(default_factory=list)
    documents: list[DocumentRegistered] = field(default_factory=list)  # in force at the view's valid time
    # The accounts (kode rekening) of the sub-kegiatans' rincian belanja, by key; apart from
    # ``lines`` so that the Renja forms and their checks see the plan at the level they print.
    rekening: dict[str, LineState] = field(default_factory=dict)
    _rekening_by_parent: dict[str | None, list[LineState]] | None = field(default=None, repr=False, compare=False)

    @property
    def totals(self) -> list[TotalStated]:
        return [e for e in self.plan_events if isinstance(e, TotalStated)]

    def by_kode(self, kode: str) -> LineState | None:
        return next((line for line in self.lines.values() if line.kode == kode), None)

    def set_lines(self, lines: dict[str, LineState]) -> None:
        """The plan's visible lines, the accounts (rekening lines) put apart."""
        self.lines = {key: line for key, line in lines.items() if line.level is not Level.REKENING}
        self.rekening = {key: line for key, line in lines.items() if line.level is Level.REKENING}
        self._rekening_by_parent = None
        for account in self.rekening.values():
            parent = self.lines.get(account.parent_key or "")
            if parent is not None and parent.kode:
                account.shown_as = f"{parent.kode}/{account.kode}"

    def rekening_of(self, sub_kegiatan_key: str) -> list[LineState]:
        """A sub-kegiatan's accounts in the order of their kode rekening (grouped once per view)."""
        if self._rekening_by_parent is None:
            self._rekening_by_parent = {}
            for account in sorted(self.rekening.values(), key=lambda account: account.kode or account.key):
                self._rekening_by_parent.setdefault(account.parent_key, []).append(account)
        return self._rekening_by_parent.get(sub_kegiatan_key, [])


@dataclass(frozen=True)
class StatedTotal:
    """An OPD total a document states: a total row (TotalStated) or the bidang/urusan row."""

    label: str
    rupiah: int | None
    triwulan: tuple[int | None, ...] | None
    source: Source
    line: LineState | None = None


def stated_totals(view: PlanView, stage: Stage) -> list[StatedTotal]:
    found = [StatedTotal(e.label, e.rupiah, e.triwulan, e.basis.source) for e in view.totals if e.stage is stage]
    heads = sorted((line for line in view.lines.values() if line.level in (Level.URUSAN, Level.BIDANG)),
                   key=lambda line: line.kode or line.key)
    for line in heads:
        figures = line.figures(stage)
        found.extend(StatedTotal(f"{line.kode or ''} {line.nama}".strip(), statement.rupiah, None, statement.source, line)
                     for statement in (figures.statements if figures else []))
    return found


def in_force(event: DomainEvent, as_of: date | None) -> bool:
    """The valid-time filter of the index (time_index._time_filter), for events in hand."""
    return as_of is None or event.basis.effective_on <= as_of or type(event) in TIMELESS_EVENTS


def plan_view(index: TimeIndex, opd: str, tahun: int, *, as_of: date | None, known_at: datetime | None,
              pending: Sequence[DomainEvent] = (), rekening: bool = True,
              sebelum_until: date | None = None) -> PlanView:
    """The plan at a valid time as known at a system time. ``pending`` are events not saved
    yet (a preview): they are read as if recorded after everything the index holds. Without
    ``rekening``, the view holds no accounts (the Renja forms do not print them).

    ``sebelum_until`` (a date after ``as_of``) asks for the "before" of a diff to that date: a
    line with nothing in force at ``as_of`` takes the *sebelum* figures that before/after forms
    dated up to then restate without a date of their own (``restated_sebelum``, docs/stages.md)."""
    plan = plan_id(opd, tahun)
    window = sebelum_until if as_of is not None and sebelum_until is not None and sebelum_until > as_of else None
    grouped: dict[str, list[DomainEvent]] = defaultdict(list)
    view = PlanView(opd, tahun, as_of, known_at)
    unsaved = [(str(event.originator_id), event) for event in pending if in_force(event, as_of)]
    read = index.plan_events(opd, tahun, plan, as_of=window or as_of, known_at=known_at, rekening=rekening)
    for originator, event in [*read, *unsaved]:
        if originator == str(plan):
            if in_force(event, as_of):
                view.plan_events.append(event)
        else:
            grouped[originator].append(event)
    if window is None or as_of is None:
        folded = [fold_line(events) for events in grouped.values()]
    else:
        restated = restated_sebelum(index.documents(opd, tahun, as_of=window, known_at=known_at))
        folded = [fold_before(events, as_of, restated) for events in grouped.values()]
    view.set_lines(visible({line.key: line for line in folded if line.line_id}))
    view.documents = index.documents(opd, tahun, as_of=as_of, known_at=known_at) + [
        event for _, event in unsaved
        if isinstance(event, DocumentRegistered) and (event.opd, event.tahun) == (opd, tahun)]
    return view


def restated_sebelum(documents: list[DocumentRegistered]) -> Callable[[DomainEvent], bool]:
    """Whether an event is a *sebelum* statement of a before/after form that carries no date of
    its own: the importer dates it on the form's own date (``tanggal_sebelum`` not given)."""
    tanggal = {document.originator_id: document.tanggal for document in documents}

    def restated(event: DomainEvent) -> bool:
        source = event.basis.source
        return (source.is_sebelum and source.document_id is not None
                and tanggal.get(source.document_id) == event.basis.effective_on)

    return restated


def fold_before(events: list[DomainEvent], as_of: date, restated: Callable[[DomainEvent], bool]) -> LineState:
    """A line as it stood before the forms dated after ``as_of``: its statements in force then;
    when it has none, the *sebelum* figures that the first of those forms restates without a
    date of their own, the only "before" it gives (a dated statement in force at ``as_of``
    always stands; a later form's *sebelum* is the earlier form's *setelah*, not the before)."""
    own = [event for event in events if in_force(event, as_of)]
    state = fold_line(own)
    if state.in_force:
        return state
    sebelum = [event for event in events if not in_force(event, as_of) and restated(event)]
    if not sebelum:
        return state
    first = min(event.basis.effective_on for event in sebelum)
    return fold_line([*own, *(event for event in sebelum if event.basis.effective_on == first)])


def visible(lines: dict[str, LineState]) -> dict[str, LineState]:
    """The lines that exist at the view's valid time: those with a statement in force, and
    their ancestors. A line's opening is identity, not a statement (ledger.timeless)."""
    shown = {key for key, line in lines.items() if line.in_force}
    for key in list(shown):
        parent = lines[key].parent_key
        while parent is not None and parent in lines and parent not in shown:
            shown.add(parent)
            parent = lines[parent].parent_key
    return {key: line for key, line in lines.items() if key in shown}
