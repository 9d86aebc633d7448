"""Evidence files (bukti, docs/usulan.md) on the web: the files a step's form uploads, read
with the ledger's own policy (``ledger.bukti.Lampiran.of``: type by the first bytes, size, not
empty, a plain name), and a file served back to those who may read its plan.

An upload is read in pieces up to one byte past the limit (as the SIPD zip is, web/sipd_pages.py):
a file above it is refused without its whole content held in memory. A file refused is named
with why and nothing is written; the form is shown again (status 400).

Served back, a file is checked again against the hash its event names (``ReadSide.evidence``):
a file missing from the store or changed is refused with an error page naming it, never sent.
It goes as an attachment of its own media type, under its name made safe, never sniffed.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from ledger.access import AccessRole, Actor, Permission
from ledger.bukti import MAX_BYTES, SHA256, FileRefused, Lampiran
from ledger.errors import ChainBroken, NotFound, RuleViolated
from ledger.i18n import _
from projections.system import System
from web.common import CURRENT, PageError, attachment

FIELD = "berkas"  # the name of every form's file input
MAX_FILES_PER_STEP = 10  # files one step's form may carry (each up to ledger.bukti.MAX_BYTES)
CHUNK = 1024 * 1024


def may_read_files(actor: Actor | None, opd: str) -> bool:
    """Who is served a plan's evidence files (the scans of its decisions and follow-ups): whoever
    may take a step on that plan or audit it. A perencana reads its own OPDs' files only; a
    verifikator (it reads every plan and corrects any), an auditor and the local user every
    plan's; a penetap its OPDs'. An admin manages accounts and reads no scan."""
    if actor is None:
        return False
    if actor.role is AccessRole.VERIFIKATOR:
        return True
    return any(actor.may(permission, opd) for permission in
               (Permission.WRITE_PLAN, Permission.FOLLOW_UP, Permission.AUDIT, Permission.DECIDE))


def chosen(data: FormData) -> list[UploadFile]:
    """The files a form carries (a file input left empty sends a part without a name: none)."""
    return [item for item in data.getlist(FIELD) if isinstance(item, UploadFile) and item.filename]


async def read_upload(file: UploadFile) -> Lampiran:
    """One uploaded file as the ledger keeps it, refused (``FileRefused``) as ``renja --berkas``
    refuses it; never more than one byte past the limit is read."""
    name = file.filename or ""
    content = bytearray()
    while len(content) <= MAX_BYTES:
        piece = await file.read(min(CHUNK, MAX_BYTES + 1 - len(content)))
        if not piece:
            break
        content += piece
    if len(content) > MAX_BYTES:
        raise FileRefused(name, _("more than the {limit} MB a file may have").format(limit=MAX_BYTES // (1024 * 1024)))
    return Lampiran.of(name, bytes(content))


async def evidence_uploads(data: FormData) -> tuple[Lampiran, ...]:
    """Every file a step's form carries, each read and checked before anything is recorded."""
    files = chosen(data)
    if len(files) > MAX_FILES_PER_STEP:
        raise RuleViolated("bukti-count", str(len(files)), _("a step carries at most {count} files").format(
            count=MAX_FILES_PER_STEP))
    return tuple([await read_upload(file) for file in files])


def refuse_files(data: FormData) -> None:
    """A step that carries no files, posted with some: refused rather than dropping them unsaid."""
    if chosen(data):
        raise RuleViolated("bukti-step", FIELD, _("This step carries no evidence files; nothing was written."))


def register(app: FastAPI, ledger: System) -> None:
    @app.get("/bukti/{opd}/{tahun}/{sha256}", response_model=None)
    def bukti(opd: str, tahun: int, sha256: str) -> Response:
        if not SHA256.match(sha256):
            raise PageError(404, _("No evidence file {hash} in the plan {opd} {tahun}.").format(
                hash=sha256[:70], opd=opd, tahun=tahun))
        if not may_read_files(CURRENT.get().actor, opd):
            actor = CURRENT.get().actor
            raise PageError(403, _("{who} may not read the evidence files of {opd}.").format(
                who=actor.name if actor else _("nobody"), opd=opd))
        try:
            berkas, content = ledger.read_side().evidence(sha256, opd, tahun)
        except NotFound:
            raise PageError(404, _("No evidence file {hash} in the plan {opd} {tahun}.").format(
                hash=sha256, opd=opd, tahun=tahun)) from None
        except ChainBroken as broken:  # missing from the store, or changed: named, never sent
            raise PageError(500, str(broken)) from None
        return Response(content, media_type=berkas.jenis,
                        headers={"Content-Disposition": attachment(berkas.nama), "X-Content-Type-Options": "nosniff"})
