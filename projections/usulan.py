"""The proposals of the ledger as people look for them: a plan's, one by its id (or the first
digits people write), and the inbox of each person (what waits on them).

Read from the time index (the proposals' own events, replayed as ``ledger.usulan`` folds them),
never from the write model's repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from events_store.time_index import TimeIndex
from ledger.access import Actor
from ledger.application import RenjaLedger
from ledger.application.commands import DatedCommand
from ledger.application.handlers import PROPOSABLE
from ledger.application.write_table import WRITE_COMMANDS
from ledger.bukti import Berkas
from ledger.errors import NotFound, RuleViolated
from ledger.events import DomainEvent, replay
from ledger.i18n import N_, _
from ledger.money import format_rupiah
from ledger.usulan import OPEN, USULAN_EVENTS, Usulan, UsulanStatus, short_id, waits_on
from projections.tabular import Column, Rendered, Tabular

USULAN_TYPES = tuple(cls.__name__ for cls in USULAN_EVENTS)


@dataclass(frozen=True)
class Proposal:
    """One proposal as read: where it stands and every step it took."""

    usulan: Usulan

    @property
    def id(self) -> UUID:
        return self.usulan.id

    @property
    def short(self) -> str:
        return short_id(self.usulan.id)

    @property
    def status(self) -> UsulanStatus:
        return self.usulan.status

    @property
    def change(self) -> DatedCommand:
        """The change it proposes, as proposed (or as last amended)."""
        return PROPOSABLE[self.usulan.perintah](**self.usulan.isi)

    @property
    def trail(self) -> list[DomainEvent]:
        return self.usulan.trail

    @property
    def proposed_on(self) -> date:
        return self.trail[0].basis.effective_on

    def summary(self) -> str:
        """What it proposes, in one line: the change's title and the fields a reader looks for."""
        isi = self.usulan.isi
        entry = next(e for e in WRITE_COMMANDS if e.command.__name__ == self.usulan.perintah)
        shown = [format_rupiah(int(value)) if name == "rupiah" else str(value)
                 for name in ("line", "from_line", "to_line", "stage", "rupiah", "text", "name")
                 if (value := isi.get(name)) not in (None, "")]
        if isinstance(isi.get("target"), dict):
            shown.append(f"{isi['target'].get('nilai')} {isi['target'].get('satuan')}")
        return f"{_(entry.title)}: {' '.join(shown)}"

    def steps(self) -> list[str]:
        """Each step in words: who took it, on which date, with which notes."""
        return [_("{step} by {who} on {day}").format(step=_(STEP_WORDS[type(e).__name__]), who=e.basis.recorded_by,
                                                     day=e.basis.effective_on.isoformat())
                + (f" ({e.basis.reason})" if e.basis.reason else "") for e in self.trail]

    def to_json(self) -> dict[str, Any]:
        usulan = self.usulan
        return {"id": str(usulan.id), "nomor_usulan": self.short, "opd": usulan.opd, "tahun": usulan.tahun,
                "status": usulan.status.value, "status_kata": usulan.status.label, "perintah": usulan.perintah,
                "isi": usulan.isi, "diajukan_oleh": usulan.diajukan_oleh, "diverifikasi_oleh": usulan.verified_by,
                "nomor_keputusan": usulan.nomor, "tanggal_keputusan": usulan.decided_on.isoformat()
                if usulan.decided_on else None, "jenis_keputusan": usulan.jenis.value if usulan.jenis else None,
                "jejak": [step_json(event) for event in usulan.trail]}


def step_json(event: DomainEvent) -> dict[str, Any]:
    basis = event.basis
    return {"langkah": type(event).__name__, "oleh": basis.recorded_by, "dicatat": event.timestamp.isoformat(),
            "berlaku": basis.effective_on.isoformat(), "catatan": basis.reason,
            "berkas": [berkas.model_dump() for berkas in getattr(event, "berkas", ())]}


def files_words(berkas: tuple[Berkas, ...]) -> str:
    """The files a step carries, as a reader looks for them: each name with its hash's first digits."""
    return "; ".join(f"{item.nama} ({item.short})" for item in berkas)


def proposals(index: TimeIndex, opd: str | None = None, tahun: int | None = None) -> list[Proposal]:
    """Every proposal (of one plan, when given), oldest first."""
    by_id: dict[str, list[DomainEvent]] = {}
    for originator, event in index.events_of_types(USULAN_TYPES):
        by_id.setdefault(originator, []).append(event)
    found = [Proposal(replay(events)) for events in by_id.values()]
    return [p for p in found if (opd is None or p.usulan.opd == opd) and (tahun is None or p.usulan.tahun == tahun)]


def proposal(index: TimeIndex, ref: str, opd: str | None = None, tahun: int | None = None) -> Proposal:
    """One proposal by its id or the first digits of it (at least 4), as people write it."""
    wanted = ref.strip().lower().replace("-", "")
    if len(wanted) < 4:
        raise RuleViolated("usulan-ref", ref, _("name a proposal by its number (at least 4 of its digits)"))
    found = [p for p in proposals(index, opd, tahun) if p.id.hex.startswith(wanted)]
    if not found:
        raise NotFound("usulan", ref, _("renja usul list shows the proposals of a plan"))
    if len(found) > 1:
        raise RuleViolated("usulan-ambiguous", ref, _("{count} proposals begin with it; give more digits").format(
            count=len(found)))
    return found[0]


def inbox(index: TimeIndex, actor: Actor, opd: str | None = None, tahun: int | None = None,
          every_open: bool = False) -> list[Proposal]:
    """What waits on this person (``ledger.usulan.waits_on``), or every open proposal."""
    return [p for p in proposals(index, opd, tahun)
            if (p.status in OPEN if every_open else waits_on(p.usulan, actor))]


# --- as the CLI and the web show them ------------------------------------------------------------

STEP_WORDS = {"UsulanDiajukan": N_("proposed"), "UsulanDiajukanKembali": N_("proposed again"),
              "UsulanDiverifikasi": N_("verified"), "UsulanDikembalikan": N_("returned"),
              "UsulanDitetapkan": N_("decided"), "UsulanDibatalkan": N_("cancelled")}


def proposals_report(found: list[Proposal], title: str) -> Rendered:
    columns = [Column("nomor_usulan", _("Proposal"), kind="code"), Column("rencana", _("Plan")),
               Column("usul", _("Change proposed"), width=40), Column("status_kata", _("Status")),
               Column("diajukan_oleh", _("Proposed by")), Column("diajukan", _("Proposed on"), kind="date")]
    rows = [{**p.to_json(), "rencana": f"{p.usulan.opd} {p.usulan.tahun}", "usul": p.summary(),
             "diajukan": p.proposed_on.isoformat()} for p in found]
    payload = {"usulan": [p.to_json() for p in found]}
    return Rendered(payload, Tabular(title, columns, rows, sheet=_("Proposals"),
                                     notes=[] if found else [_("no proposal waits here")]))


def proposal_report(found: Proposal) -> Rendered:
    """One proposal: what it proposes, where it stands, and every step with who took it and why."""
    usulan = found.usulan
    columns = [Column("langkah_kata", _("Step")), Column("oleh", _("By")), Column("dicatat", _("Recorded"), kind="instant"),
               Column("berlaku", _("Effective"), kind="date"), Column("catatan", _("Notes"), width=40),
               Column("berkas_kata", _("Evidence files"), width=30)]
    rows = [{**step_json(event), "langkah_kata": _(STEP_WORDS[type(event).__name__]),
             "dicatat": event.timestamp.isoformat(),
             "berkas_kata": files_words(getattr(event, "berkas", ()))} for event in usulan.trail]
    decision = f"{usulan.jenis.value.upper() + ' ' if usulan.jenis else ''}{usulan.nomor} ({usulan.decided_on})" \
        if usulan.nomor else "-"
    meta = [(_("Plan"), f"{usulan.opd} {usulan.tahun}"), (_("Change proposed"), found.summary()),
            (_("Status"), usulan.status.label), (_("Decision"), decision)]
    return Rendered(found.to_json(), Tabular(_("Proposal {id}").format(id=found.short), columns, rows, meta,
                                             sheet=_("Proposal")))


# --- the plan with its open proposals (a what-if) ---------------------------------------------------

@dataclass(frozen=True)
class WhatIf:
    """The events the open proposals' changes would record together now, and which were left out."""

    events: list[DomainEvent]
    included: list[Proposal]
    refused: list[tuple[Proposal, str]]

    def marked(self, rendered: Rendered) -> Rendered:
        """A form of the what-if says so: in its JSON, and in a note under the form."""
        rendered.payload["dengan_usulan"] = [p.short for p in self.included]
        rendered.payload["usulan_tidak_sesuai"] = [{"usulan": p.short, "alasan": why} for p, why in self.refused]
        notes = [_("WHAT-IF, not the plan in force: with the open proposals {ids}, as if decided now").format(
            ids=", ".join(p.short for p in self.included) or "-")]
        notes += [_("proposal {id} left out: {reason}").format(id=p.short, reason=why) for p, why in self.refused]
        rendered.tabular.notes = [*notes, *rendered.tabular.notes]
        return rendered


def what_if(app: RenjaLedger, found: list[Proposal]) -> WhatIf:
    """The open proposals (proposed or verified, oldest first), their changes tried together."""
    waiting = [p for p in found if p.status in (UsulanStatus.DIAJUKAN, UsulanStatus.DIVERIFIKASI)]
    events, refused = app.preview_changes([p.change for p in waiting])
    return WhatIf(events, [p for n, p in enumerate(waiting) if n not in refused],
                  [(waiting[n], str(error)) for n, error in sorted(refused.items())])
