"""SIPD on the web (docs/sipd.md): a wp-sipd snapshot uploaded as a zip (one CSV file per table,
at the zip's root or in one folder of it).

* *Impor* > Sinkronisasi SIPD (``/impor/sipd``): the snapshot synced into a plan, as
  ``renja sipd sync`` does: previewed on its unsaved events, then saved as the logged-in user
  through the application's one write entry (the access rule, the all-or-nothing save, and
  nothing written when a line read changed after the preview).
* Rekonsiliasi SIPD (``/sipd/{opd}/{tahun}``): the snapshot beside the signed documents, as
  ``renja sipd diff`` shows it, with its downloads. It records nothing.

The upload is kept on the server between the two requests of each (``web.uploads``); the ledger
names it by its file and sha256, never by the server's folder.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from ledger.access import Actor, Permission
from ledger.application.commands import SyncSipd
from ledger.application.sipd.snapshot import SnapshotReader
from ledger.application.sipd.source import open_source
from ledger.application.sipd.stated import SipdStage
from ledger.basis import Source
from ledger.errors import ImportFailed, ImportRejected, LedgerError, RuleViolated, StaleState
from ledger.events import DomainEvent
from ledger.i18n import _
from ledger.kodefikasi import kodefikasi_for
from ledger.plan import SipdSynced
from projections.render.html import form_fragment
from projections.system import System
from projections.tabular import Rendered, Tabular
from web.auth import csrf_valid
from web.common import PageError, parse_date
from web.uploads import MAX_UPLOAD, Upload, Uploads, shown, upload_owner
from web.write_pages import (
    SYNC_STAGES,
    actor_for,
    importer,
    preview_diff,
    sync_defaults,
    versions_json,
    versions_of,
    year_of,
)

Page = Callable[..., HTMLResponse]
Download = Callable[[Tabular, str, str], Response]
FIELDS = ("opd", "tahun", "stage", "unit", "reason")
MAIN_TABLE = "data_sub_keg_bl.csv"  # the table every snapshot has: it marks the snapshot's folder


def choose_snapshot() -> str:
    return _("Choose the snapshot: a .zip of a SIPD snapshot folder with one CSV file per table (an upload is "
             "kept for an hour).")


def snapshot_folder(upload: Upload) -> Path:
    """The snapshot's folder in the upload: the one holding data_sub_keg_bl.csv (without one, the
    zip's root or its only folder, and the reader names the missing table)."""
    found = sorted(path.parent for path in upload.folder.rglob(MAIN_TABLE) if path.is_file())
    if len(found) > 1:
        raise ImportFailed(upload.name, None, None, _("expected one snapshot folder (one {table}) in the archive, "
                                                      "found {count}").format(table=MAIN_TABLE, count=len(found)))
    if found:
        return found[0]
    entries = list(upload.folder.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else upload.folder


def label_of(upload: Upload, folder: Path) -> str:
    """How the ledger and the reports name an uploaded snapshot: its file (and folder in it), sha256."""
    inner = folder.relative_to(upload.folder).as_posix()
    return f"{upload.name}{'/' + inner if inner != '.' else ''} (sha256:{upload.sha256[:16]})"


def stage_of(text: str) -> SipdStage:
    try:
        return SipdStage(text or SipdStage.MURNI.value)
    except ValueError:
        raise ImportFailed("stage", None, None, _("expected one of {choices}").format(
            choices=", ".join(stage.value for stage in SipdStage))) from None


def uploaded(data: FormData) -> UploadFile | None:
    file = data.get("berkas")
    return file if isinstance(file, UploadFile) and file.filename else None


def synced_summary(events: list[DomainEvent]) -> dict[str, Any]:
    """What a saved sync recorded, as ``renja sipd sync`` says it."""
    synced = next((event for event in events if isinstance(event, SipdSynced)), None)
    counted = Counter(type(event).__name__ for event in events if not isinstance(event, SipdSynced))
    return {"events": len(events), "synced": synced, "counted": sorted(counted.items())}


def register(app: FastAPI, ledger: System, page: Page, download: Download) -> None:
    channel = f"web ({ledger.app.user})"
    uploads = Uploads()
    app.state.sipd_uploads = uploads

    def kept(token: str) -> Upload:
        upload = uploads.get(token, upload_owner())
        if upload is None:
            raise LedgerError(choose_snapshot())
        return upload

    async def receive(data: FormData) -> Upload:
        """The snapshot of this request: a new file, else the one this user uploaded before."""
        file = uploaded(data)
        if file is None:
            return kept(str(data.get("unggahan", "")))
        content = await file.read(MAX_UPLOAD + 1)
        return uploads.keep(content, Path(file.filename or "snapshot.zip").name, upload_owner())

    def errors_of(error: LedgerError, upload: Upload | None) -> list[str]:
        found = [str(e) for e in error.errors] + (["..."] if error.more else []) \
            if isinstance(error, ImportRejected) else [str(error)]
        return [shown(message, upload.folder) for message in found] if upload else found

    # --- sync: Impor > Sinkronisasi SIPD ---------------------------------------------------
    def sync_page(status: int = 200, **context: Any) -> HTMLResponse:
        shown_context = {"sipd_values": sync_defaults(), "errors": [], "message": None, "preview": None,
                         "summary": None, "upload": None, **context}
        return page("impor_sipd.html", status, sipd_stages=SYNC_STAGES, plans=ledger.read_side().plans(),
                    **shown_context)

    def sync_command(upload: Upload, values: dict[str, str]) -> SyncSipd:
        """The command the form says; an empty OPD is the sub-unit's name in SIPD (filled in ``values``)."""
        tahun = year_of(values["tahun"])
        if tahun is None:
            raise ImportFailed("tahun", None, None, _("expected a year such as 2024"))
        stage, unit = stage_of(values["stage"]), values["unit"] or None
        folder = snapshot_folder(upload)
        location, label = str(folder), label_of(upload, folder)
        if not values["opd"]:
            source = open_source(location)
            source.description = label
            values["opd"] = SnapshotReader(source, tahun, unit, kodefikasi_for(tahun, None)).unit_only()[1]
        return SyncSipd(opd=values["opd"], tahun=tahun, reason=values["reason"], location=location, label=label,
                        stage=stage, unit=unit, at=upload.received,
                        source=Source(command=f"{channel}: " + _("SIPD sync")))

    def checksum(command: SyncSipd, upload: Upload) -> str:
        """What a preview showed, to be saved unchanged: the snapshot's bytes and the form's values."""
        content = {"upload": upload.sha256, **command.model_dump(mode="json", exclude={"source", "location"})}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]

    def show_preview(command: SyncSipd, upload: Upload, values: dict[str, str], actor: Actor, *, status: int = 200,
                     message: str | None = None) -> HTMLResponse:
        preview = ledger.read_side().preview(command, actor=actor, channel=channel)
        synced = next((event for event in preview.report.events if isinstance(event, SipdSynced)), None)
        return sync_page(status, sipd_values=values, preview=preview.report, diff=preview_diff(preview), synced=synced,
                         versions=versions_json(preview), checksum=checksum(command, upload), upload=upload,
                         message=message)

    @app.get("/impor/sipd", response_class=HTMLResponse)
    def impor_sipd_form(opd: str = "", tahun: str = "") -> HTMLResponse:
        importer()
        return sync_page(sipd_values=sync_defaults(opd, tahun))

    @app.post("/impor/sipd", response_class=HTMLResponse)
    async def impor_sipd(request: Request) -> HTMLResponse:
        data = await request.form()
        if not csrf_valid(request, str(data.get("csrf", ""))):
            raise PageError(403, _("The form has expired; open the page again."))
        values = {name: str(data.get(name, "")).strip() for name in FIELDS}
        upload: Upload | None = None
        try:
            importer()
            upload = await receive(data)
            command = sync_command(upload, values)
            actor = actor_for(command.opd, Permission.WRITE_PLAN)
            if data.get("action") != "simpan" or uploaded(data) is not None:
                return show_preview(command, upload, values, actor)
            versions = versions_of(str(data.get("versions", "")))
            if versions is None or data.get("checksum") != checksum(command, upload):
                return show_preview(command, upload, values, actor, status=409, message=_(
                    "The form changed after its preview; nothing was written. Check this preview and save again."))
            try:
                events = ledger.app.handle(command, actor=actor, channel=channel, expect=versions)
            except StaleState as stale:
                return show_preview(command, upload, values, actor, status=409, message=str(stale))
        except RuleViolated as refused:
            status = 403 if refused.rule == "access-denied" else 400
            return sync_page(status, sipd_values=values, errors=errors_of(refused, upload), upload=upload)
        except LedgerError as error:
            return sync_page(400, sipd_values=values, errors=errors_of(error, upload), upload=upload)
        uploads.drop(upload.token)
        return sync_page(sipd_values=values, summary=synced_summary(events),
                         plan=(command.opd, command.tahun))

    # --- Rekonsiliasi SIPD ----------------------------------------------------------------
    def reconcile(opd: str, tahun: int, upload: Upload, stage: SipdStage, unit: str | None,
                  as_of: date | None) -> Rendered:
        folder = snapshot_folder(upload)
        source = open_source(str(folder))
        source.description = label_of(upload, folder)
        snapshot = SnapshotReader(source, tahun, unit, kodefikasi_for(tahun, None)).read()
        return ledger.read_side().sipd_diff(snapshot, opd, tahun, stage, as_of)

    def recon_page(opd: str, tahun: int, values: dict[str, str], status: int = 200, **context: Any) -> HTMLResponse:
        return page("sipd.html", status, opd=opd, tahun=tahun, values=values, sipd_stages=SYNC_STAGES,
                    **{"errors": [], "form": None, "upload": None, "downloads": None, **context})

    def plan_known(opd: str, tahun: int) -> None:
        if (opd, tahun) not in ledger.read_side().plans():
            raise PageError(404, _("The ledger holds no plan of {opd} {tahun}.").format(opd=opd, tahun=tahun))

    def recon(opd: str, tahun: int, values: dict[str, str], upload: Upload, fmt: str | None) -> Response:
        as_of = parse_date(values["as_of"], "as_of")
        rendered = reconcile(opd, tahun, upload, stage_of(values["stage"]), values["unit"] or None, as_of)
        if fmt:
            return download(rendered.tabular, fmt, f"rekonsiliasi-sipd-{opd}-{tahun}".replace(" ", "_"))
        query = {**values, "unggahan": upload.token}
        here = f"/sipd/{quote(opd, safe='')}/{tahun}?"
        links = {fmt: here + urlencode({**query, "format": fmt}) for fmt in ("xlsx", "pdf", "csv")}
        return recon_page(opd, tahun, values, form=form_fragment(rendered.tabular), upload=upload, downloads=links,
                          rows=len(rendered.payload["rows"]))

    @app.get("/sipd/{opd}/{tahun}", response_model=None)
    def rekonsiliasi_form(opd: str, tahun: int, unggahan: str = "", stage: str = "", unit: str = "",
                          as_of: str = "", format: str | None = None) -> Response:
        plan_known(opd, tahun)
        values = {"stage": stage or SipdStage.MURNI.value, "unit": unit.strip(), "as_of": as_of.strip()}
        if not unggahan:
            return recon_page(opd, tahun, values)
        upload: Upload | None = None
        try:
            upload = kept(unggahan)
            return recon(opd, tahun, values, upload, format)
        except LedgerError as error:
            return recon_page(opd, tahun, values, 400, errors=errors_of(error, upload), upload=upload)

    @app.post("/sipd/{opd}/{tahun}", response_model=None)
    async def rekonsiliasi(request: Request, opd: str, tahun: int) -> Response:
        data = await request.form()
        if not csrf_valid(request, str(data.get("csrf", ""))):
            raise PageError(403, _("The form has expired; open the page again."))
        plan_known(opd, tahun)
        values = {name: str(data.get(name, "")).strip() for name in ("stage", "unit", "as_of")}
        upload: Upload | None = None
        try:
            upload = await receive(data)
            return recon(opd, tahun, values, upload, None)
        except LedgerError as error:
            return recon_page(opd, tahun, values, 400, errors=errors_of(error, upload), upload=upload)
