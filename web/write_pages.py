"""The pages that record: "Catat perubahan" (one form per decision, previewed before it is
saved) and "Impor" (a document folder as a zip, or one table with its document's fields).

Both go through the application's one write entry, as the logged-in user: the access rule,
the domain rules and the all-or-nothing save are the application's. A preview runs the same
command on the unsaved events; saving runs it again and refuses, writing nothing, when a
line it read changed in between (``StaleState``) or when the form no longer says what the
preview showed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from ledger.access import Actor, Permission
from ledger.application.commands import ImportDocument, ProposeChange
from ledger.application.importing.importer import ImportSummary
from ledger.application.importing.layouts import LAYOUTS
from ledger.application.importing.manifest import document_spec
from ledger.application.importing.spec import DocumentSpec
from ledger.application.sipd.stated import SipdStage
from ledger.basis import Stage
from ledger.document import DocumentKind
from ledger.errors import ImportFailed, ImportRejected, LedgerError, RuleViolated, StaleState
from ledger.i18n import _
from ledger.kodefikasi import Kodefikasi
from ledger.line_events import Role
from ledger.money import format_rupiah
from ledger.pergeseran import Authority
from ledger.usulan import UsulanStatus
from projections.command_preview import CommandPreview
from projections.render.html import form_fragment
from projections.system import System
from projections.usulan import Proposal
from web.auth import csrf_valid
from web.bukti_pages import evidence_uploads, refuse_files
from web.common import CURRENT, PageError, channel_of
from web.uploads import MAX_UPLOAD, Upload, Uploads, shown, upload_owner
from web.writes import DEFAULTS, WRITE_FORMS, FormInvalid, WriteForm, build_command, digest, fields_of

Page = Callable[..., HTMLResponse]
# The kinds a document upload may name: a SIPD snapshot is synced (below the form), not imported.
DOCUMENT_KINDS = [kind for kind in DocumentKind if kind is not DocumentKind.SIPD]


def actor_for(opd: str | None, permission: Permission) -> Actor:
    actor = CURRENT.get().actor
    if actor is None or not actor.may(permission, opd):
        who = f"{actor.name} ({actor.role.value})" if actor else _("nobody")
        raise PageError(403, _("{who} may not record this for {opd}.").format(who=who, opd=opd or _("any plan")))
    return actor


def importer() -> Actor:
    """Who may open the import pages: a user who may record some plan (the access rule is applied
    again to the plan an upload names)."""
    actor = CURRENT.get().actor
    if actor is None or not (actor.opds or actor.may(Permission.WRITE_PLAN, None)):
        raise PageError(403, _("{who} may not import documents.").format(who=actor.name if actor else _("nobody")))
    return actor


# The stages a SIPD sync names (what SIPD's current columns state), as the sync form offers them.
SYNC_STAGES = [(SipdStage.MURNI, "murni"), (SipdStage.PERUBAHAN, "perubahan (pagumurni dan kolom *_murni: murni)"),
               (SipdStage.PERGESERAN, "pergeseran (sebelum perubahan)")]


def sync_defaults(opd: str = "", tahun: str = "") -> dict[str, str]:
    """The SIPD sync form's first values: the plan the page was opened from (none: the sub-unit
    SIPD names, and the year to be given)."""
    return {"opd": opd, "tahun": tahun, "stage": SipdStage.MURNI.value, "unit": "", "reason": ""}


def preview_diff(preview: CommandPreview) -> str | None:
    """A preview's change of the plan in force, DPPA style (None when the plan in force keeps)."""
    form = preview.diff_form()
    return form_fragment(form) if form is not None else None


def versions_json(preview: CommandPreview) -> str:
    """What a preview read, carried by its form to the save (``handle(expect=)``)."""
    return json.dumps({str(key): value for key, value in preview.versions.items()})


def versions_of(text: str) -> dict[UUID, int] | None:
    try:
        data = json.loads(text) if text else None
        return {UUID(key): int(value) for key, value in data.items()} if isinstance(data, dict) else None
    except (ValueError, TypeError, AttributeError):
        return None


def form_values(form: WriteForm, found: Proposal) -> dict[str, str]:
    """The form's fields as a proposal last proposed its change: the proposer amends them and
    proposes again (a returned proposal)."""
    isi = found.usulan.isi
    target = isi.get("target") if isinstance(isi.get("target"), dict) else {}
    values: dict[str, str] = {}
    for field in fields_of(form):
        if field.name == "document":
            value = (isi.get("source") or {}).get("document")
        elif field.name in ("nilai", "satuan") and target:
            value = target.get(field.name)
        else:
            value = isi.get(field.name)
        if value is None or isinstance(value, dict):
            continue
        if field.kind == "rupiah":
            value = format_rupiah(int(value))
        elif field.kind in ("decimal", "quantity"):
            value = str(value).replace(".", ",")  # the Indonesian decimal comma the form reads
        values[field.name] = str(value)
    return values


def proposal_address(opd: str, tahun: int, usulan: UUID) -> str:
    return f"/usulan/{quote(opd, safe='')}/{tahun}/{usulan.hex}"


def register(app: FastAPI, ledger: System, page: Page) -> None:
    channel = channel_of(ledger)  # the server's own identity: how the user's decision reached the ledger

    def form_page(opd: str, tahun: int, form: WriteForm, values: dict[str, str], *, status: int = 200,
                  errors: dict[str, str] | None = None, message: str | None = None,
                  preview: CommandPreview | None = None, checksum: str = "",
                  again: Proposal | None = None) -> HTMLResponse:
        lines = sorted(ledger.read_side().lines(opd, tahun),
                       key=lambda line: (line.reference if line.kode else "~", line.nama))
        diff = preview_diff(preview) if preview is not None else None
        versions = versions_json(preview) if preview is not None else ""
        return page("catat.html", status, opd=opd, tahun=tahun, form=form, forms=WRITE_FORMS, fields=fields_of(form),
                    values=values, errors=errors or {}, message=message,
                    preview=preview.report if preview is not None else None, diff=diff,
                    versions=versions, checksum=checksum, lines=lines, stages=list(Stage), roles=list(Role),
                    authorities=list(Authority), again=again)

    def returned(opd: str, tahun: int, ref: str) -> Proposal | None:
        """The proposal a form proposes again (``usulan=``), found in this plan; None when none is named."""
        return ledger.read_side().proposal(ref, opd, tahun) if ref.strip() else None

    def show_preview(opd: str, tahun: int, form: WriteForm, values: dict[str, str], command: Any, actor: Actor, *,
                     status: int = 200, message: str | None = None, again: Proposal | None = None) -> HTMLResponse:
        preview = ledger.read_side().preview(command, actor=actor, channel=channel)
        return form_page(opd, tahun, form, values, status=status, message=message, preview=preview,
                         checksum=digest(command), again=again)

    @app.get("/catat/{opd}/{tahun}", response_model=None)
    def catat_start(opd: str, tahun: int) -> Response:
        return RedirectResponse(f"/catat/{opd}/{tahun}/revisi-pagu", status_code=303)

    @app.get("/catat/{opd}/{tahun}/{slug}", response_model=None)
    def catat_form(opd: str, tahun: int, slug: str, line: str = "", usulan: str = "") -> Response:
        form = WRITE_FORMS.get(slug)
        if form is None:
            raise PageError(404, _("No such form: {slug}.").format(slug=slug))
        actor_for(opd, form.permission)
        if (opd, tahun) not in ledger.read_side().plans():
            raise PageError(404, _("The ledger holds no plan of {opd} {tahun}.").format(opd=opd, tahun=tahun))
        values = {**DEFAULTS, "line": line, "effective_on": date.today().isoformat()}
        again = returned(opd, tahun, usulan)
        if again is not None and again.status is not UsulanStatus.DIKEMBALIKAN:
            raise PageError(400, _("Only a returned proposal is proposed again: proposal {id} is {status}.").format(
                id=again.short, status=again.status.label))
        if again is not None:  # propose again: the form as the proposal last said it, to be amended
            other = next((f for f in WRITE_FORMS.values() if f.command.__name__ == again.usulan.perintah), None)
            if other is None or not other.dated:
                raise PageError(404, _("No such form: {slug}.").format(slug=again.usulan.perintah))
            if other is not form:
                return RedirectResponse(f"/catat/{quote(opd, safe='')}/{tahun}/{other.slug}?usulan={again.id.hex}",
                                        status_code=303)
            values = {**values, **form_values(form, again)}
        return form_page(opd, tahun, form, values, again=again)

    @app.post("/catat/{opd}/{tahun}/{slug}", response_model=None)
    async def catat(request: Request, opd: str, tahun: int, slug: str) -> Response:
        form = WRITE_FORMS.get(slug)
        if form is None:
            raise PageError(404, _("No such form: {slug}.").format(slug=slug))
        data = await request.form()
        if not csrf_valid(request, str(data.get("csrf", ""))):
            raise PageError(403, _("The form has expired; open the page again."))
        actor = actor_for(opd, form.permission)
        values = {field.name: str(data.get(field.name, "")) for field in fields_of(form)}
        action = data.get("action")
        if action == "usulkan" and not form.dated:  # a proposal takes force on its decision's date
            raise PageError(400, _("Only a dated change can be proposed."))
        again: Proposal | None = None
        try:
            again = returned(opd, tahun, str(data.get("usulan", "")))
            command = build_command(form, values, opd=opd, tahun=tahun, channel=channel)
        except FormInvalid as invalid:
            return form_page(opd, tahun, form, values, status=400, errors=invalid.errors, again=again,
                             message=_("Some fields cannot be read; nothing was written."))
        except LedgerError as error:  # the proposal named to propose again is not one of this plan
            return form_page(opd, tahun, form, values, status=400, message=str(error))
        try:
            if action not in ("simpan", "usulkan"):
                return show_preview(opd, tahun, form, values, command, actor, again=again)
            versions = versions_of(str(data.get("versions", "")))
            if versions is None or data.get("checksum") != digest(command):
                return show_preview(opd, tahun, form, values, command, actor, status=409, again=again, message=_(
                    "The form changed after its preview; nothing was written. Check this preview and save again."))
            if action == "usulkan":
                # A proposal changes nothing of the plan: its change's rules run again when it is
                # decided, so a line that moved since the preview does not refuse it (no ``expect``).
                try:
                    files = await evidence_uploads(data)
                except LedgerError as refused_file:  # the preview again, for other files
                    return show_preview(opd, tahun, form, values, command, actor, status=400, again=again,
                                        message=str(refused_file))
                proposed = ledger.app.handle(ProposeChange.of(command, usulan=again.id if again else None,
                                                              lampiran=files), actor=actor, channel=channel)
                usulan = again.id if again else proposed[0].originator_id
                request.session["flash"] = (_("Proposed again by {who}: nothing of it is in force until it is decided.")
                                            if again else
                                            _("Proposed by {who}: nothing of it is in force until it is decided."))\
                    .format(who=actor.name)
                return RedirectResponse(proposal_address(opd, tahun, usulan), status_code=303)
            try:
                refuse_files(data)  # a direct record carries no files: they go with a proposal
            except LedgerError as refused_file:
                return show_preview(opd, tahun, form, values, command, actor, status=400, message=str(refused_file))
            try:
                events = ledger.app.handle(command, actor=actor, channel=channel, expect=versions)
            except StaleState as stale:
                return show_preview(opd, tahun, form, values, command, actor, status=409, message=str(stale))
        except RuleViolated as refused:
            status = 403 if refused.rule == "access-denied" else 400
            return form_page(opd, tahun, form, values, status=status, message=str(refused), again=again)
        except LedgerError as error:
            return form_page(opd, tahun, form, values, status=400, message=str(error), again=again)
        request.session["flash"] = _("Recorded: {count} events, by {who}.").format(count=len(events), who=actor.name)
        target = values.get("line") or values.get("from_line") or ""
        return RedirectResponse(f"/baris/{opd}/{tahun}/{target}", status_code=303)

    # --- import: previewed, then saved (Simpan) ------------------------------------------
    documents = Uploads()  # each upload kept for its uploader between its preview and its Simpan
    app.state.document_uploads = documents

    def import_page(status: int = 200, **context: Any) -> HTMLResponse:
        state = {"values": {"stage": Stage.MURNI.value, "table": "Tabel"}, "errors": [], "summary": None,
                 "preview": None, "upload": None, "message": None, "files": [],
                 "sipd_values": sync_defaults(), "sipd_stages": SYNC_STAGES, "plans": ledger.read_side().plans(),
                 **context}
        return page("impor.html", status, kinds=DOCUMENT_KINDS, stages=list(Stage), layouts=list(LAYOUTS),
                    kodefikasi=list(Kodefikasi), **state)

    def show_import_preview(command: ImportDocument, upload: Upload, values: dict[str, str], actor: Actor, *,
                            status: int = 200, message: str | None = None) -> HTMLResponse:
        """What the document would record, the figures in force it would replace and the findings it
        would bring, on the unsaved events (the preview every write shows); nothing is written."""
        preview = ledger.read_side().preview(command, actor=actor, channel=channel)
        return import_page(status, values=values, preview=preview.report, diff=preview_diff(preview),
                           versions=versions_json(preview), checksum=import_checksum(upload, values), upload=upload,
                           message=message, files=[item.berkas for item in command.lampiran])

    async def received(data: Any) -> Upload:
        """The document of this request: a new file, else the one this user uploaded for its preview."""
        file = new_file(data)
        if file is not None:
            content = await file.read(MAX_UPLOAD + 1)
            return documents.keep_document(content, Path(file.filename or "berkas").name, upload_owner())
        kept = documents.get(str(data.get("unggahan", "")), upload_owner())
        if kept is None:
            raise LedgerError(_("Choose a file: a .zip of a document folder, or one .csv or .xlsx table."))
        return kept

    @app.get("/impor", response_class=HTMLResponse)
    def impor_form(opd: str = "", tahun: str = "") -> HTMLResponse:
        importer()
        return import_page(sipd_values=sync_defaults(opd, tahun))

    @app.post("/impor", response_class=HTMLResponse)
    async def impor(request: Request) -> HTMLResponse:
        data = await request.form()
        if not csrf_valid(request, str(data.get("csrf", ""))):
            raise PageError(403, _("The form has expired; open the page again."))
        importer()
        values = {name: str(data.get(name, "")).strip() for name in
                  ("opd", "tahun", "kind", "judul", "tanggal", "penandatangan", "stage", "table", "nomor", "layout",
                   "kodefikasi")}
        upload: Upload | None = None
        try:
            upload = await received(data)
            command = ImportDocument(spec=spec_of(upload, values))
            actor = actor_for(command.opd, Permission.WRITE_PLAN)
            if data.get("action") != "simpan" or new_file(data) is not None:  # a new file is previewed first
                return show_import_preview(command, upload, values, actor)
            versions = versions_of(str(data.get("versions", "")))
            if versions is None or data.get("checksum") != import_checksum(upload, values):
                return show_import_preview(command, upload, values, actor, status=409, message=_(
                    "The form changed after its preview; nothing was written. Check this preview and save again."))
            try:
                events = ledger.app.handle(command, actor=actor, channel=channel, expect=versions)
            except StaleState as stale:
                return show_import_preview(command, upload, values, actor, status=409, message=str(stale))
        except ImportRejected as rejected:
            return import_page(400, values=values, upload=upload, errors=[
                shown(str(e), upload.folder) if upload else str(e) for e in rejected.errors]
                + (["..."] if rejected.more else []))
        except LedgerError as error:
            return import_page(400, values=values, upload=upload,
                               errors=[shown(str(error), upload.folder) if upload else str(error)])
        documents.drop(upload.token)
        return import_page(summary=ImportSummary.of(events), values=values, plan=(command.opd, command.tahun))


def new_file(data: Any) -> UploadFile | None:
    """The file chosen in this request's form, if any."""
    file = data.get("berkas")
    return file if isinstance(file, UploadFile) and file.filename else None


def import_checksum(upload: Upload, values: dict[str, str]) -> str:
    """What a preview showed, to be saved unchanged: the upload's bytes and the document's fields."""
    content = {"upload": upload.sha256, **values}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]


def spec_of(upload: Upload, values: dict[str, str]) -> DocumentSpec:
    """The document a kept upload holds: a folder with its document.toml, or one table described by
    the form's fields."""
    if Path(upload.name).suffix.lower() == ".zip":
        root = document_folder(upload.folder, upload.name)
        return document_spec(root, kind=None, judul=None, tanggal=None, opd=values["opd"] or None,
                             tahun=year_of(values["tahun"]), penandatangan=None, stage=Stage.MURNI, table="Tabel",
                             nomor="", option="")
    try:
        stage = Stage(values["stage"] or Stage.MURNI.value)
    except ValueError:
        raise ImportFailed(upload.name, None, "stage", _("expected one of {choices}").format(
            choices=", ".join(s.value for s in Stage))) from None
    if values["kind"] == DocumentKind.SIPD.value:  # a snapshot is synced: its own form
        raise ImportFailed(upload.name, None, "kind", _("expected one of {choices}").format(
            choices=", ".join(kind.value for kind in DOCUMENT_KINDS)))
    return document_spec(upload.folder / upload.name, kind=values["kind"] or None, judul=values["judul"] or None,
                         tanggal=values["tanggal"] or None, opd=values["opd"] or None, tahun=year_of(values["tahun"]),
                         penandatangan=values["penandatangan"] or None, stage=stage, table=values["table"] or "Tabel",
                         nomor=values["nomor"], option="", layout=values["layout"] or "budget",
                         kodefikasi=values["kodefikasi"] or None)


def year_of(text: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise ImportFailed("tahun", None, None, _("expected a year such as 2024"))
    return int(text)


def document_folder(folder: Path, name: str) -> Path:
    """The folder of an unpacked zip that holds its document.toml (exactly one)."""
    manifests = sorted(folder.rglob("document.toml"))
    if len(manifests) != 1:
        raise ImportFailed(name, None, None, _("expected one document.toml in the archive, found {count}").format(
            count=len(manifests)))
    return manifests[0].parent
