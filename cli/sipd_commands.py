"""`renja sipd sync` and `renja sipd diff`: SIPD's tables (a wp-sipd database or a snapshot
folder) as dated events, and where SIPD now differs from the signed documents (docs/sipd.md)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Annotated

import typer

from cli.context import settings
from cli.options import AsOfOpt, CsvSepOpt, FormatOpt, OutputOpt, PaperOpt, ReasonOpt
from cli.render import Format, Paper, emit
from cli.safe import echo
from cli.write_commands import PreviewOpt, command_source, show_preview
from ledger.application.commands import SyncSipd
from ledger.application.sipd.snapshot import SnapshotReader
from ledger.application.sipd.source import open_source
from ledger.application.sipd.stated import SipdStage
from ledger.errors import InvalidValue
from ledger.events import DomainEvent
from ledger.i18n import N_, _
from ledger.kodefikasi import Kodefikasi, kodefikasi_for
from ledger.plan import SipdSynced

sipd_app = typer.Typer(help="SIPD (through a wp-sipd mirror): each sync recorded as dated events.",
                       no_args_is_help=True)

SourceArg = Annotated[str, typer.Argument(help="A wp-sipd database URL (mysql+pymysql://user:password@host/database) "
                                               "or a snapshot folder with one CSV per table (data_sub_keg_bl.csv, ...).")]
SipdStageOpt = Annotated[SipdStage, typer.Option("--stage", help="What SIPD's current columns state: murni, perubahan "
                                                                "(then pagumurni and the *_murni columns state the "
                                                                "murni) or pergeseran (a shift of the murni).")]
SipdKodefikasiOpt = Annotated[Kodefikasi | None, typer.Option("--kodefikasi", help="The codes SIPD prints. Default: "
                                                                                   "by --tahun.")]
UnitOpt = Annotated[str | None, typer.Option("--unit", help="The sub-unit: its kode_sub_skpd (or id_sub_skpd); "
                                                            "needed when the source holds several.")]


def _instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue("--at", text, _("a date and time such as 2024-03-05 or 2024-03-05T14:30")) from None


def sync(
    ctx: typer.Context,
    source: SourceArg,
    stage: SipdStageOpt = SipdStage.MURNI,
    unit: UnitOpt = None,
    opd: Annotated[str | None, typer.Option("--opd", help="The OPD of the ledger the sync records to. Default: the "
                                                          "sub-unit's name in SIPD.")] = None,
    tahun: Annotated[int | None, typer.Option("--tahun", help="The year (tahun_anggaran) to sync.")] = None,
    at: Annotated[str | None, typer.Option("--at", help="The instant of the sync when the source has no update_at "
                                                        "(YYYY-MM-DD or YYYY-MM-DDTHH:MM). Default: now.")] = None,
    kodefikasi: SipdKodefikasiOpt = None,
    reason: ReasonOpt = "",
    preview: PreviewOpt = False,
) -> None:
    """Record what SIPD says now, as far as it differs from what SIPD said before (nothing twice)."""
    ctx_settings = settings(ctx)
    tahun = tahun or ctx_settings.tahun
    if tahun is None:
        raise InvalidValue("--tahun", "", _("the year of the SIPD data to sync (renja sipd sync SOURCE --tahun 2024)"))
    opd = opd or ctx_settings.opd or _unit_name(source, tahun, unit, kodefikasi)
    command = SyncSipd(opd=opd, tahun=tahun, reason=reason, source=command_source(None), location=source,
                       stage=stage, unit=unit, at=_instant(at), kodefikasi=kodefikasi)
    if preview:
        show_preview(ctx_settings.read.preview(command).report)
        return
    say_synced(ctx_settings.app.handle(command), opd, tahun)


def _unit_name(source: str, tahun: int, unit: str | None, kodefikasi: Kodefikasi | None) -> str:
    """The OPD a sync records to when --opd is not given: the sub-unit as SIPD names it."""
    reader = SnapshotReader(open_source(source), tahun, unit, kodefikasi_for(tahun, kodefikasi))
    return reader.unit_only()[1]


# What a sync's events are, in words, in the order a reader looks for them (the event's class name
# for any other).
EVENT_WORDS = {
    "LineOpened": N_("lines opened"), "LineRegistered": N_("lines registered in the plan"),
    "NameStated": N_("names printed"), "PaguSet": N_("pagu stated"), "ForwardEstimateSet": N_("prakiraan maju stated"),
    "IndicatorSet": N_("indicators stated"), "TargetSet": N_("targets stated"),
    "DetailsStated": N_("lokasi and sumber dana stated"), "RincianStated": N_("komponen stated"),
    "AnggaranKasStated": N_("anggaran kas stated"), "LineWithdrawn": N_("withdrawn (no longer in SIPD)"),
    "LineRestored": N_("restored"), "SipdFactsStated": N_("lines whose SIPD columns changed"),
    "PlanOpened": N_("plan opened"),
}


def say_synced(events: list[DomainEvent], opd: str, tahun: int) -> None:
    synced = next((event for event in events if isinstance(event, SipdSynced)), None)
    if not events:
        echo(_("nothing changed: this sync of SIPD is in the ledger already"))
        return
    counted = Counter(type(event).__name__ for event in events if not isinstance(event, SipdSynced))
    if synced is not None:
        echo(_("SIPD {unit} at {instant} ({stage}) -> {opd} {tahun}: {rows} sub-kegiatan read, {changes} "
               "statements recorded").format(unit=synced.unit, instant=f"{synced.instant:%Y-%m-%d %H:%M:%S}",
                                             stage=synced.stage.label, opd=opd, tahun=tahun, rows=synced.sub_kegiatan,
                                             changes=synced.changes))
    if not counted:
        echo(_("SIPD says what it said at its previous sync: only the sync itself is remembered"))
    for name, count in sorted(counted.items(), key=lambda item: list(EVENT_WORDS).index(item[0])
                              if item[0] in EVENT_WORDS else len(EVENT_WORDS)):
        echo(f"  {_(EVENT_WORDS.get(name, name))}: {count}")


def diff(
    ctx: typer.Context,
    source: SourceArg,
    stage: SipdStageOpt = SipdStage.MURNI,
    unit: UnitOpt = None,
    as_of: AsOfOpt = None,
    kodefikasi: SipdKodefikasiOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    paper: PaperOpt = Paper.A4,
    csv_sep: CsvSepOpt = ",",
) -> None:
    """Where SIPD now differs from the signed documents in the ledger, line by line (writes nothing)."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    snapshot = SnapshotReader(open_source(source), tahun, unit, kodefikasi_for(tahun, kodefikasi)).read()
    emit(ctx_settings.read.sipd_diff(snapshot, opd, tahun, stage, as_of), fmt, output, paper=paper,
         csv_separator=csv_sep)


def register(app: typer.Typer) -> None:
    sipd_app.command("sync")(sync)
    sipd_app.command("diff")(diff)
    app.add_typer(sipd_app, name="sipd")
