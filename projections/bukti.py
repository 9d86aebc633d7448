"""The evidence files (ledger.bukti) as the events name them, and as the store keeps them.

Every file is found through the events that name it (a document's registration, a proposal's,
a decision's, a finding's follow-up): read from the time index and replayed as their aggregates
fold them, so each file is listed with the step it belongs to. `renja verify` checks each one against the store
(``check_files``): present, and its content's SHA-256 the hash the event names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from events_store.time_index import TimeIndex
from ledger.application.evidence import EvidenceStore
from ledger.bukti import Berkas
from ledger.document import DocumentRegistered
from ledger.errors import ChainBroken, NotFound, RuleViolated
from ledger.events import DomainEvent, replay
from ledger.i18n import N_, _
from ledger.tanggal import waktu
from ledger.tindak_lanjut import FOLLOW_UP_EVENTS
from ledger.usulan import USULAN_EVENTS
from projections.tabular import Column, Rendered, Tabular

# The events that may carry files: a document's registration (its scan), a proposal's steps, a
# finding's follow-up.
AGGREGATE_EVENTS = (DocumentRegistered, *USULAN_EVENTS, *FOLLOW_UP_EVENTS)
AGGREGATE_TYPES = tuple(cls.__name__ for cls in AGGREGATE_EVENTS)
# The step's name where the event's own is not Indonesian already (UsulanDitetapkan, TemuanDitanggapi).
STEP_WORDS = {DocumentRegistered.__name__: N_("Document registered")}
EVIDENCE_TYPES = frozenset(cls.__name__ for cls in AGGREGATE_EVENTS if "berkas" in cls.model_fields)


@dataclass(frozen=True)
class NamedFile:
    """A file as one event names it, with the step and the plan it belongs to."""

    berkas: Berkas
    event: DomainEvent
    subject: str  # the aggregate as people name it (proposal e4b26d16, finding 1a2b3c4d)
    opd: str
    tahun: int

    @property
    def step(self) -> str:
        """Which event names it, in words: its type, its aggregate, when and by whom it was recorded."""
        name = type(self.event).__name__
        return _("{event} of {subject} (recorded {at} by {who})").format(
            event=_(STEP_WORDS[name]) if name in STEP_WORDS else name, subject=self.subject, at=waktu(self.event.timestamp),
            who=self.event.basis.recorded_by)

    def to_json(self) -> dict[str, Any]:
        return {**self.berkas.model_dump(), "opd": self.opd, "tahun": self.tahun, "peristiwa": type(self.event).__name__,
                "subjek": self.subject, "originator_id": str(self.event.originator_id),
                "versi": self.event.originator_version, "dicatat": self.event.timestamp.isoformat(),
                "oleh": self.event.basis.recorded_by}


def named_files(index: TimeIndex, opd: str | None = None, tahun: int | None = None) -> list[NamedFile]:
    """Every file the ledger's events name (of one plan, when given), in the order recorded."""
    by_id: dict[str, list[DomainEvent]] = {}
    for originator, event in index.events_of_types(AGGREGATE_TYPES):
        by_id.setdefault(originator, []).append(event)
    found: list[NamedFile] = []
    for events in by_id.values():
        if not any(type(event).__name__ in EVIDENCE_TYPES and getattr(event, "berkas", ()) for event in events):
            continue
        aggregate = replay(events)
        if (opd is not None and aggregate.opd != opd) or (tahun is not None and aggregate.tahun != tahun):
            continue
        found.extend(NamedFile(berkas, event, aggregate.label, aggregate.opd, aggregate.tahun)
                     for event in events for berkas in getattr(event, "berkas", ()))
    return sorted(found, key=lambda named: named.event.timestamp)


def check_files(named: list[NamedFile], store: EvidenceStore) -> list[str]:
    """Each file an event names that the store does not hold as named (missing, or its content
    changed), in words; each content is read once."""
    problems: list[str] = []
    found: dict[str, str | None] = {}  # hash -> the SHA-256 of what is stored (None: nothing)
    for item in named:
        sha256 = item.berkas.sha256
        if sha256 not in found:
            stored = store.get(sha256)
            found[sha256] = None if stored is None else hashlib.sha256(stored.isi).hexdigest()
        actual = found[sha256]
        if actual is None:
            problems.append(_("evidence file {name} ({hash}...), named by {step}, is missing from the store").format(
                name=item.berkas.nama, hash=item.berkas.short, step=item.step))
        elif actual != sha256:
            problems.append(_("evidence file {name} ({hash}...), named by {step}, was changed: what is stored hashes to "
                              "{actual}...").format(name=item.berkas.nama, hash=item.berkas.short, step=item.step,
                                                    actual=actual[:12]))
    return problems


def verify_files(index: TimeIndex, store: EvidenceStore) -> int:
    """How many files the events name, every one present and as named; ``ChainBroken`` naming
    each one that is not."""
    named = named_files(index)
    problems = check_files(named, store)
    if len(problems) == 1:
        raise ChainBroken(problems[0])
    if problems:
        raise ChainBroken(_("the evidence files are not as the events name them ({count} findings):").format(
            count=len(problems))
                          + "\n  " + "\n  ".join(problems))
    return len({item.berkas.sha256 for item in named})


def find_file(index: TimeIndex, ref: str, opd: str | None = None, tahun: int | None = None) -> list[NamedFile]:
    """The events that name the one file ``ref`` names: its hash, or its first digits (at least 8)."""
    wanted = ref.strip().lower()
    if len(wanted) < 8 or any(c not in "0123456789abcdef" for c in wanted):
        raise RuleViolated("bukti-ref", ref, _("name a file by its SHA-256 (at least its first 8 hex digits)"))
    found = [item for item in named_files(index, opd, tahun) if item.berkas.sha256.startswith(wanted)]
    hashes = {item.berkas.sha256 for item in found}
    if not hashes:
        raise NotFound(_("evidence file"), ref, _("renja bukti list shows the files the ledger's events name"))
    if len(hashes) > 1:
        raise RuleViolated("bukti-ambiguous", ref, _("{count} files begin with it; give more digits").format(
            count=len(hashes)))
    return found


def read_file(index: TimeIndex, store: EvidenceStore, ref: str, opd: str | None = None,
              tahun: int | None = None) -> tuple[Berkas, bytes]:
    """A file an event names, as the first event named it, with its content: refused when the
    store no longer holds it, or holds another content under its hash."""
    named = find_file(index, ref, opd, tahun)
    first = named[0]
    problems = check_files([first], store)
    if problems:
        raise ChainBroken(problems[0] + _("; run `renja verify`"))
    stored = store.get(first.berkas.sha256)
    assert stored is not None  # (checked just now)
    return first.berkas, stored.isi


def files_report(named: list[NamedFile], title: str) -> Rendered:
    """Every file the events name: its hash, name, size and type, and the step that names it."""
    columns = [Column("sha256", _("SHA-256"), kind="code"), Column("nama", _("File")),
               Column("ukuran", _("Bytes"), kind="number"), Column("jenis", _("Type")),
               Column("rencana", _("Plan")), Column("langkah", _("Named by"), width=50)]
    rows = [{**item.to_json(), "rencana": f"{item.opd} {item.tahun}", "langkah": item.step} for item in named]
    return Rendered({"berkas": [item.to_json() for item in named]},
                    Tabular(title, columns, rows, sheet=_("Evidence files"),
                            notes=[] if named else [_("no event names a file")]))
