"""The Integritas page: the hash chain, the index, the register and the read model checked against
the events (``ReadSide.verify``), and a head written down earlier checked in the browser.

A head is what `renja verify --expect` takes, pasted or uploaded: ``N:HEAD`` (or ``N HEAD`` as
`renja verify --head` prints it and this page shows it), or a signed head statement of `renja
verify --sign` (JSON), optionally with the signer's public key (PEM) to trust, as `verify --check
FILE --key PUB`. The statement is read by the CLI's own reader (``events_store.heads``); the check
is the CLI's: the first N events must still hash to HEAD, and the ledger must hold at least N.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile

from events_store.heads import HeadStatement, read_statement
from events_store.integrity import ExpectedHead
from ledger.errors import ChainBroken, InvalidValue, LedgerError
from ledger.i18n import _
from projections.system import System
from web.auth import csrf_valid
from web.common import PageError
from web.uploads import shown

Page = Callable[..., HTMLResponse]
MAX_TEXT = 64 * 1024  # a head statement or a public key is a few hundred bytes


@dataclass(frozen=True)
class Claim:
    """A head written down earlier: what the ledger must still hash to, and who signed it."""

    expected: ExpectedHead
    statement: HeadStatement | None = None


@dataclass(frozen=True)
class Outcome:
    """Whether the ledger matches a head: the claim when it does, the reason when it does not."""

    claim: Claim | None
    reason: str | None = None

    @property
    def matches(self) -> bool:
        return self.reason is None


async def text_of(data: FormData, field: str, upload: str) -> str:
    """A pasted text, or else an uploaded file's, at most MAX_TEXT bytes."""
    pasted = str(data.get(field, "")).strip()
    file = data.get(upload)
    if pasted or not isinstance(file, UploadFile) or not file.filename:
        return pasted
    content = await file.read(MAX_TEXT + 1)
    if len(content) > MAX_TEXT:
        raise InvalidValue(upload, file.filename, _("a head statement of at most {kb} KB").format(kb=MAX_TEXT // 1024))
    try:
        return content.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise InvalidValue(upload, file.filename, _("a text file (UTF-8)")) from None


def signed_claim(statement: str, key: str) -> Claim:
    """A signed statement read (and its signature checked) by the CLI's reader, from files named as
    the user knows them; its words never name the server's folder."""
    with tempfile.TemporaryDirectory() as folder:
        path, pinned = Path(folder) / "kepala.json", Path(folder) / "kunci.pem"
        path.write_text(statement, encoding="utf-8")
        if key:
            pinned.write_text(key + "\n", encoding="utf-8")
        try:
            found = read_statement(path, pinned if key else None)
        except ChainBroken as error:
            raise ChainBroken(shown(str(error), folder)) from None
        except LedgerError as error:
            raise LedgerError(shown(str(error), folder)) from None
    return Claim(found.expected, found)


def claim_of(text: str, key: str) -> Claim:
    """What `renja verify` takes: a signed statement (JSON), or N:HEAD (N HEAD as printed)."""
    if not text:
        raise InvalidValue("kepala", "", _("N:HEAD or a signed head statement"))
    if text.startswith("{"):
        return signed_claim(text, key)
    return Claim(ExpectedHead.parse(text if ":" in text else ":".join(text.split())))


def register(app: FastAPI, ledger: System, page: Page) -> None:

    def integritas_page(outcome: Outcome | None = None, status_code: int = 200, bad: str | None = None,
                        pasted: str = "") -> HTMLResponse:
        """The page, after checking the ledger (against the claim when there is one). A head that
        does not match stops the check there, as `renja verify --expect` does."""
        reader = ledger.read_side()
        claim = outcome.claim if outcome else None
        try:
            verified = reader.verify(claim.expected if claim else None)
            status, refolded, broken = verified.chain, verified.lines, None
        except ChainBroken as error:
            status, refolded, broken = None, 0, str(error)
            if claim is not None:
                outcome = Outcome(claim, str(error))
        return page("integritas.html", status_code, status=status, refolded=refolded, broken=broken,
                    counts=reader.counts(), outcome=outcome, bad=bad, pasted=pasted)

    @app.get("/integritas", response_class=HTMLResponse)
    def integritas() -> HTMLResponse:
        return integritas_page()

    @app.post("/integritas", response_class=HTMLResponse)
    async def periksa_kepala(request: Request) -> HTMLResponse:
        data = await request.form()
        if not csrf_valid(request, str(data.get("csrf", ""))):
            raise PageError(403, _("The form has expired; open the page again."))
        try:
            text = await text_of(data, "kepala", "berkas_kepala")
            claim = claim_of(text, await text_of(data, "kunci", "berkas_kunci"))
        except ChainBroken as forged:  # a statement whose signature or key does not hold: no match
            return integritas_page(Outcome(None, str(forged)), pasted=str(data.get("kepala", "")))
        except LedgerError as error:
            return integritas_page(None, 400, bad=str(error), pasted=str(data.get("kepala", "")))
        return integritas_page(Outcome(claim), pasted=text)
