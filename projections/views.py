"""The read side of one ledger: every question the CLI, the web and the bench ask of it.

``ReadSide`` is the one read API: each method is a use case over the projection that answers
it (a report, a line's history, the pagu at a point in time, the change between two dates, the
findings, a command's preview, the log's integrity), so that no caller needs the time index,
the read model or a fold. ``plan_view`` chooses the read path: the read model for the plan as
it stands now, the time index for any other point in time; both give the same ``PlanView``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from eventsourcing.persistence import PersistenceError

from events_store.evidence import SqlEvidenceStore
from events_store.integrity import ChainStatus, ExpectedHead, export_events
from events_store.time_index import Counts, LineRow, TimeIndex
from ledger.access import Actor
from ledger.accounts import Account
from ledger.application import RenjaLedger
from ledger.application.commands import Command, ImportDocument
from ledger.application.evidence import EvidenceStore
from ledger.application.sipd.snapshot import Snapshot
from ledger.application.sipd.stated import SipdStage
from ledger.basis import Stage
from ledger.bukti import Berkas, Lampiran
from ledger.i18n import _
from ledger.plan import plan_id
from ledger.tanggal import office_date
from ledger.tindak_lanjut import FollowUp
from projections.accounts import AccountRow, account, accounts
from projections.audit import LineStory, diff_report, history_report, line_story
from projections.bukti import NamedFile, files_report, named_files, read_file, verify_files
from projections.catalog import find_line
from projections.checks import Rule, registered
from projections.checks.model import Finding
from projections.checks.report import Checked, check_plan
from projections.command_preview import CommandPreview, preview_command
from projections.current import CurrentStateProjection
from projections.execution import realised_at
from projections.pointintime import PaguAnswer, pagu_at, pagu_of
from projections.preview import preview_report
from projections.reports import REPORTS, ReportKind, build_report, check_reportable
from projections.sipd_diff import sipd_diff
from projections.tabular import Rendered
from projections.timeline import PlanView, plan_view, visible
from projections.tindak_lanjut import follow_up_report, follow_up_trail, follow_ups, gone, resolving_change
from projections.usulan import Proposal, inbox, proposal, proposals, what_if
from projections.verification import Verified, verify_ledger


class ReadSide:
    def __init__(self, app: RenjaLedger, index: TimeIndex, *, postgres: bool) -> None:
        self.app = app
        self.index = index
        self.postgres = postgres  # the backend, as the composition root (projections.system) knows it

    @cached_property
    def current(self) -> CurrentStateProjection:
        return CurrentStateProjection.of(self.app, self.index, postgres=self.postgres)

    # --- the ledger at large ------------------------------------------------------------------
    def plans(self) -> list[tuple[str, int]]:
        """Every plan the ledger holds, as (opd, tahun)."""
        return self.index.plans()

    def plan_zone(self, opd: str, tahun: int) -> str | None:
        """The plan's time zone as its documents state it (the latest document stating one, by its
        date: valid time, not recording order), or None when none does."""
        stated = [document for document in self.index.documents(opd, tahun) if document.zona_waktu]
        return max(stated, key=lambda document: (document.tanggal, document.judul)).zona_waktu if stated else None

    def counts(self) -> Counts:
        return self.index.counts()

    def accounts(self) -> list[AccountRow]:
        return accounts(self.index)

    def account(self, name: str) -> Account | None:
        return account(self.app, name)

    def rules(self) -> list[Rule]:
        """Every rule `check` runs, in the order it runs them."""
        return registered()

    # --- a plan ---------------------------------------------------------------------------------
    def plan_view(self, opd: str, tahun: int, *, as_of: date | None = None,
                  known_at: datetime | None = None, rekening: bool = True) -> PlanView:
        """``rekening``: with the accounts of the rincian belanja (DPA/DPPA forms, checks)."""
        if as_of is not None or known_at is not None:
            return plan_view(self.index, opd, tahun, as_of=as_of, known_at=known_at, rekening=rekening)
        now = datetime.now(UTC)
        try:
            lines = self.current.plan_lines(opd, tahun, rekening=rekening)
        except PersistenceError:
            # A reader role may not write the read model to bring it up to date: the time index
            # answers the same question (every event, every valid time).
            return plan_view(self.index, opd, tahun, as_of=None, known_at=None, rekening=rekening)
        plan_events = self.index.plan_statements(plan_id(opd, tahun))
        view = PlanView(opd, tahun, office_date(now), now, plan_events=plan_events)  # today where the office is
        view.set_lines(visible(lines))
        view.documents = self.index.documents(opd, tahun)
        return view

    def event_count(self, opd: str, tahun: int) -> int:
        """How many events the plan and its lines hold."""
        return self.index.plan_event_count(opd, tahun, plan_id(opd, tahun))

    def lines(self, opd: str, tahun: int) -> list[LineRow]:
        return self.index.lines(opd, tahun)

    def report(self, kind: ReportKind | str, opd: str, tahun: int, *, as_of: date | None = None,
               known_at: datetime | None = None, with_proposals: bool = False) -> Rendered:
        """An official form as it stood at that point in time; a form with nothing to print is
        an answer in words (``NothingToReport``). ``with_proposals``: a what-if, the plan with
        the changes its open proposals carry, as if decided now (``projections.usulan.what_if``)."""
        rekening = REPORTS[ReportKind(kind)].rekening
        if not with_proposals:
            view = self.plan_view(opd, tahun, as_of=as_of, known_at=known_at, rekening=rekening)
            check_reportable(kind, view)
            return build_report(kind, view)
        included = what_if(self.app, self.proposals(opd, tahun))
        view = plan_view(self.index, opd, tahun, as_of=as_of, known_at=known_at, pending=included.events,
                         rekening=rekening)
        check_reportable(kind, view)
        return included.marked(build_report(kind, view))

    def check(self, opd: str, tahun: int, *, as_of: date | None = None, known_at: datetime | None = None) -> Checked:
        """Every inconsistency of the plan at that point in time."""
        view = self.plan_view(opd, tahun, as_of=as_of, known_at=known_at)

        def found_at(moment: datetime, temuan: str) -> bool:
            then = plan_view(self.index, opd, tahun, as_of=as_of, known_at=moment)
            return temuan in {f.id for f in check_plan(then).findings}

        def resolved(findings: list[Finding], known: dict[str, FollowUp]) -> dict[str, dict[str, Any]]:
            ended = {f.temuan: resolving_change(self.index, f, partial(found_at, temuan=f.temuan))
                     for f in gone(findings, known)}
            return {temuan: change for temuan, change in ended.items() if change is not None}
        # (which change resolved a followed finding is asked of the ledger as it knows the plan now)
        return check_plan(view, self.follow_ups(opd, tahun), resolved if known_at is None else None)

    def diff(self, opd: str, tahun: int, start: date, end: date, *, known_at: datetime | None = None,
             rekening: bool = False) -> Rendered:
        """Every line whose figures changed between two dates, DPPA style."""
        return diff_report(self.index, opd, tahun, start, end, known_at=known_at, rekening=rekening)

    def preview(self, command: Command | ImportDocument, *, actor: Actor | None = None, channel: str | None = None) -> CommandPreview:
        """What the command would change, computed on its unsaved events (nothing is written)."""
        return preview_command(self.app, self.index, command, actor=actor, channel=channel)

    def sipd_diff(self, snapshot: Snapshot, opd: str, tahun: int, stage: SipdStage, as_of: date | None) -> Rendered:
        """Where a SIPD snapshot differs from the signed documents, line by line."""
        return sipd_diff(self.index, snapshot, opd, tahun, stage, as_of)

    # --- a line -----------------------------------------------------------------------------
    def line(self, opd: str, tahun: int, ref: str) -> LineRow:
        return find_line(self.index, opd, tahun, ref)

    def story(self, opd: str, tahun: int, ref: str, *, as_of: date | None = None,
              known_at: datetime | None = None) -> LineStory:
        """Every event of the line ``ref`` names, before -> after (the web's line page, the tour)."""
        return line_story(self.index, self.line(opd, tahun, ref), opd, tahun, as_of=as_of, known_at=known_at)

    def history(self, opd: str, tahun: int, ref: str, *, as_of: date | None = None,
                known_at: datetime | None = None, all_events: bool = False) -> Rendered:
        """Why did this pagu change: the line's story as a form (its figures only, unless ``all_events``).
        The plan's proposals are read only when a decision recorded some event of the line (its
        source then names the command and, as its document, the proposal)."""
        story = self.story(opd, tahun, ref, as_of=as_of, known_at=known_at)
        decided = any(e.event.basis.source.command and e.event.basis.source.document_id for e in story.entries)
        return history_report(story, all_events=all_events,
                              proposals={p.id: p for p in self.proposals(opd, tahun)} if decided else None)

    why = history

    def pagu(self, opd: str, tahun: int, ref: str | LineRow, stage: Stage | None = None, *,
             as_of: date | None = None, known_at: datetime | None = None) -> PaguAnswer:
        """The pagu of a line at a point in time and what set it (a program or kegiatan by the
        roll-up rule). A line found already (``line``) is read without looking it up again."""
        if isinstance(ref, LineRow):
            return pagu_at(self.index, ref, stage, as_of=as_of, known_at=known_at)
        return pagu_of(self.index, opd, tahun, ref, stage, as_of=as_of, known_at=known_at)

    def realised(self, opd: str, tahun: int, line_key: str, *, as_of: date | None = None,
                 known_at: datetime | None = None) -> int | None:
        """Money the line realised in its plan year by ``as_of``; None when it has no realisasi."""
        return realised_at(self.index, opd, tahun, line_key, as_of=as_of, known_at=known_at)

    # --- the log ------------------------------------------------------------------------------
    def verify(self, expect: ExpectedHead | None = None) -> Verified:
        """The hash chain, the index and register beside it, and the read model, against the
        events; ``ChainBroken`` at the first difference."""
        return verify_ledger(self.index, self.current, expect)

    def export(self, path: Path) -> ChainStatus:
        """Every stored event with its hash, as JSON lines with a verifying trailer."""
        return export_events(self.index, path, self.exported_files)

    def exported_files(self) -> list[Lampiran]:
        """Every evidence file the events name, once, checked against its hash (an export with a
        missing or changed file is refused, naming it, as `renja verify` names it)."""
        verify_files(self.index, self.evidence_store)
        named = {item.berkas.sha256: item.berkas for item in self.evidence_files()}
        stored = {sha256: self.evidence_store.get(sha256) for sha256 in named}
        return [Lampiran(berkas=berkas, isi=found.isi) for sha256, berkas in named.items()
                if (found := stored[sha256]) is not None]

    def rebuild(self, progress: bool = False) -> int:
        """The read model dropped and rebuilt from the events; how many events it folded."""
        return self.current.rebuild(progress=progress)

    # --- proposals (usulan) ---------------------------------------------------------------------
    def proposals(self, opd: str | None = None, tahun: int | None = None) -> list[Proposal]:
        return proposals(self.index, opd, tahun)

    def proposal(self, ref: str, opd: str | None = None, tahun: int | None = None) -> Proposal:
        """One proposal by its id or its first digits (at least 4)."""
        return proposal(self.index, ref, opd, tahun)

    def inbox(self, actor: Actor, opd: str | None = None, tahun: int | None = None, *,
              every_open: bool = False) -> list[Proposal]:
        """What waits on this person, or every open proposal."""
        return inbox(self.index, actor, opd, tahun, every_open)

    def proposal_preview(self, found: Proposal) -> CommandPreview:
        """What the proposal's change would record if decided now, on unsaved events, read at its
        proposed date. A read for whoever reads the plan (a verifikator may not record the change
        itself): ``RenjaLedger.preview_changes`` asks no one's rights. A change that no longer fits
        raises the rule's refusal."""
        change = found.change
        events, refused = self.app.preview_changes([change])
        if refused:
            raise refused[0]
        return CommandPreview(preview_report(self.index, change.opd, change.tahun, events, change.effective_on), {})

    # --- the follow-up of findings (tindak lanjut) ----------------------------------------------
    def follow_ups(self, opd: str, tahun: int) -> dict[str, FollowUp]:
        """Every follow-up of the plan, by its finding's id."""
        return follow_ups(self.index, opd, tahun)

    def follow_up_list(self, opd: str, tahun: int, *, as_of: date | None = None,
                       known_at: datetime | None = None, rule: str = "", severity: str = "") -> Rendered:
        """The plan's findings with their follow-up, then those followed and no longer found (of
        one rule and severity, as ``findings`` narrows them)."""
        checked = self.findings(opd, tahun, as_of=as_of, known_at=known_at, rule=rule, severity=severity)
        return follow_up_report(checked.findings, checked.follow_ups,
                                _("Follow-up of the findings: {opd} {tahun}").format(opd=opd, tahun=tahun), checked.resolved)

    def findings(self, opd: str, tahun: int, *, as_of: date | None = None, known_at: datetime | None = None,
                 rule: str = "", severity: str = "") -> Checked:
        """The check narrowed to one rule and one severity (an empty one: any): those findings with
        their follow-ups, and the followed findings no longer found of that rule (a finding no
        longer found keeps no severity: a severity leaves them out)."""
        checked = self.check(opd, tahun, as_of=as_of, known_at=known_at)
        shown = checked.matching(rule, severity)
        ids, present = {f.id for f in shown}, {f.id for f in checked.findings}
        followed = {key: f for key, f in checked.follow_ups.items()
                    if key in ids or (key not in present and not severity and rule in ("", f.rule))}
        return replace(checked, findings=shown, follow_ups=followed)

    def follow_up_trail(self, opd: str, tahun: int, temuan: str) -> Rendered:
        """One finding's follow-up, step by step."""
        return follow_up_trail(self.follow_ups(opd, tahun)[temuan])

    # --- evidence files (bukti) -----------------------------------------------------------------
    @cached_property
    def evidence_store(self) -> EvidenceStore:
        """Where the ledger keeps the files its events name (its own database)."""
        return SqlEvidenceStore(self.index.engine)

    def evidence(self, sha256: str, opd: str | None = None, tahun: int | None = None) -> tuple[Berkas, bytes]:
        """A file an event names (of that plan, when given) by its hash or its first digits (at
        least 8): as the event named it, and its content, checked against its hash (a file
        missing from the store, or changed, is refused, naming it)."""
        return read_file(self.index, self.evidence_store, sha256, opd, tahun)

    def evidence_files(self, opd: str | None = None, tahun: int | None = None) -> list[NamedFile]:
        """Every file the ledger's events name (of that plan, when given), with the step naming it."""
        return named_files(self.index, opd, tahun)

    def evidence_list(self, opd: str | None = None, tahun: int | None = None) -> Rendered:
        """Every file the ledger's events name, as a form: hash, name, size, type, which step."""
        where = f": {opd} {tahun}" if opd and tahun else ""
        return files_report(self.evidence_files(opd, tahun), _("Evidence files") + where)
