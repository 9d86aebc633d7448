"""A command's effect before it is saved, as the CLI's ``--preview`` and the web's forms show it:
the plan without and with its unsaved events (``projections.preview``), and the versions the
preview read, so that saving it later can refuse a plan that changed in between."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from events_store.time_index import TimeIndex
from ledger.access import Actor
from ledger.application import RenjaLedger
from ledger.application.commands import Command, DatedCommand, ImportDocument
from ledger.i18n import _
from ledger.tanggal import tanggal
from projections.forms import perubahan_dppa
from projections.preview import PreviewReport, preview_report
from projections.tabular import Tabular


@dataclass(frozen=True)
class CommandPreview:
    report: PreviewReport
    versions: dict[UUID, int]  # each aggregate the command read, at the version it read (``handle(expect=)``)

    def diff_form(self) -> Tabular | None:
        """The change of the plan in force, DPPA style (None when the plan in force keeps)."""
        report = self.report
        if not report.diff.get("programs"):
            return None
        when = tanggal(report.as_of) if report.as_of else _("every date")
        return perubahan_dppa(report.diff, (_("as recorded"), _("with this change") + f", {when}"))


def preview_command(app: RenjaLedger, index: TimeIndex, command: Command | ImportDocument, *, actor: Actor | None = None,
                    channel: str | None = None) -> CommandPreview:
    """The command's events computed without writing (``RenjaLedger.preview``), read on the plan at
    its effective date (an import: its document's date; a command without one: at every valid time)."""
    unsaved = app.preview(command, actor=actor, channel=channel)
    as_of = command.effective_on if isinstance(command, DatedCommand | ImportDocument) else None
    return CommandPreview(preview_report(index, command.opd, command.tahun, unsaved.events, as_of), unsaved.versions)
