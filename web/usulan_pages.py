"""The pages of proposals (usulan, docs/usulan.md): the inbox of what waits on the logged-in user
(or every open proposal), and a proposal's page: what it proposes, where it stands, its trail,
while it is open the effect its change would have now, and the forms of the steps the user may
take (verify or return, decide, cancel; proposing again is the Catat form with ``usulan=``).

A proposal is made on the Catat form ("Usulkan" beside "Simpan", web/write_pages.py). Every step
goes through the application's one write entry as the logged-in user: who may take which step,
and that nobody verifies or decides their own proposal, are the domain's rules (ledger.access,
ledger.usulan); the forms shown here only leave out what would be refused anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ledger.access import Actor, Permission
from ledger.application.commands import (
    CancelProposal,
    DecideProposal,
    ProposalStep,
    ReturnProposal,
    VerifyProposal,
)
from ledger.basis import Source
from ledger.errors import InvalidValue, LedgerError, NotFound, RuleViolated
from ledger.i18n import N_, _
from ledger.pergeseran import Authority
from ledger.usulan import OPEN, UsulanStatus
from projections.system import System
from projections.usulan import Proposal, proposal_report
from web.auth import signed_form
from web.bukti_pages import evidence_uploads, may_read_files, refuse_files
from web.common import CURRENT, PageError, channel_of
from web.write_pages import preview_diff
from web.writes import WRITE_FORMS

Page = Callable[..., HTMLResponse]
# The steps a proposal's page posts, by the name its buttons send.
STEPS: dict[str, type[ProposalStep]] = {"verify": VerifyProposal, "return": ReturnProposal, "decide": DecideProposal,
                                        "cancel": CancelProposal}


def own(found: Proposal, actor: Actor | None) -> bool:
    return actor is not None and actor.name.casefold() == found.usulan.diajukan_oleh.casefold()


def steps_for(found: Proposal, actor: Actor | None) -> set[str]:
    """The steps this user may take on the proposal now (the forms the page shows). The domain
    decides again when one is posted: this only leaves out the forms that would be refused."""
    if actor is None:
        return set()
    opd, status, mine = found.usulan.opd, found.status, own(found, actor)
    steps = set()
    if not mine and actor.may(Permission.VERIFY, opd):
        if status is UsulanStatus.DIAJUKAN:
            steps.add("verify")
        if status in (UsulanStatus.DIAJUKAN, UsulanStatus.DIVERIFIKASI):
            steps.add("return")
    if not mine and status is UsulanStatus.DIVERIFIKASI and actor.may(Permission.DECIDE, opd):
        steps.add("decide")
    if mine and status in OPEN and actor.may(Permission.WRITE_PLAN, opd):
        steps.add("cancel")
        if status is UsulanStatus.DIKEMBALIKAN:
            steps.add("again")
    return steps


def form_slug(found: Proposal) -> str | None:
    """The Catat form of the proposal's change (to propose it again, amended)."""
    return next((slug for slug, form in WRITE_FORMS.items() if form.command.__name__ == found.usulan.perintah), None)


def plan_address(opd: str, tahun: int) -> str:
    return f"{quote(opd, safe='')}/{tahun}"


def register(app: FastAPI, ledger: System, page: Page) -> None:
    channel = channel_of(ledger)

    # --- the inbox ------------------------------------------------------------------------
    def inbox_page(request: Request, opd: str | None, tahun: int | None, semua: str) -> HTMLResponse:
        actor = CURRENT.get().actor
        reader = ledger.read_side()
        if opd is not None and tahun is not None and (opd, tahun) not in reader.plans():
            raise PageError(404, _("The ledger holds no plan of {opd} {tahun}.").format(opd=opd, tahun=tahun))
        if actor is None or semua not in ("", "0"):
            every, found = True, reader.proposals(opd, tahun)
            found = [p for p in found if p.status in OPEN]
            title = _("Open proposals")
        else:
            every, found = False, reader.inbox(actor, opd, tahun)
            title = _("Proposals waiting on {who}").format(who=actor.name)
        return page("usulan.html", opd=opd, tahun=tahun, proposals=found, every=every,
                    title=f"{title}: {opd} {tahun}" if opd else title, flash=request.session.pop("flash", None),
                    writes=actor is not None and opd is not None and actor.may(Permission.WRITE_PLAN, opd))

    @app.get("/usulan", response_class=HTMLResponse)
    def kotak_masuk(request: Request, semua: str = "") -> HTMLResponse:
        return inbox_page(request, None, None, semua)

    @app.get("/usulan/{opd}/{tahun}", response_class=HTMLResponse)
    def kotak_masuk_rencana(request: Request, opd: str, tahun: int, semua: str = "") -> HTMLResponse:
        return inbox_page(request, opd, tahun, semua)

    # --- one proposal -----------------------------------------------------------------------
    def find(opd: str, tahun: int, ref: str) -> Proposal:
        try:
            return ledger.read_side().proposal(ref, opd, tahun)
        except NotFound as missing:
            raise PageError(404, str(missing)) from None

    def proposal_page(found: Proposal, *, status: int = 200, message: str | None = None,
                      values: dict[str, str] | None = None, flash: str | None = None) -> HTMLResponse:
        actor = CURRENT.get().actor
        usulan = found.usulan
        preview = diff = refusal = None
        if found.status in OPEN:
            try:
                shown = ledger.read_side().proposal_preview(found)
                preview, diff = shown.report, preview_diff(shown)
            except LedgerError as error:  # the plan moved since: deciding it now would be refused
                refusal = str(error)
        trail = proposal_report(found).tabular
        change = found.change
        shift = usulan.perintah == "ShiftPagu"
        defaults = {"tanggal": change.effective_on.isoformat(), "nomor": "", "reason": "", "jenis": ""}
        return page("usulan_satu.html", status, opd=usulan.opd, tahun=usulan.tahun, found=found, usulan=usulan,
                    trail=trail, preview=preview, diff=diff, refusal=refusal, steps=steps_for(found, actor),
                    slug=form_slug(found), message=message, values={**defaults, **(values or {})}, shift=shift,
                    authorities=list(Authority), flash=flash, mine=own(found, actor),
                    files_readable=may_read_files(actor, usulan.opd),
                    intro=_("Nothing of it is in force: this is what its change would record if it were decided now."))

    @app.get("/usulan/{opd}/{tahun}/{ref}", response_class=HTMLResponse)
    def usulan(request: Request, opd: str, tahun: int, ref: str) -> HTMLResponse:
        return proposal_page(find(opd, tahun, ref), flash=request.session.pop("flash", None))

    @app.post("/usulan/{opd}/{tahun}/{ref}", response_model=None)
    async def langkah(request: Request, opd: str, tahun: int, ref: str) -> Response:
        data, actor = await signed_form(request, opd)
        found = find(opd, tahun, ref)
        values = {name: str(data.get(name, "")).strip() for name in ("reason", "nomor", "tanggal", "jenis")}
        step = str(data.get("step", ""))
        if step not in STEPS:
            return proposal_page(found, status=400, values=values, message=_("No such step: {step}.").format(step=step))
        source = Source(command=f"{channel}: usul {step} {found.short}")
        fields: dict[str, Any] = {}
        try:
            if step == "decide":
                fields = {"nomor": values["nomor"], "tanggal": decision_date(values["tanggal"]),
                          "jenis": Authority(values["jenis"]) if values["jenis"] else None,
                          "lampiran": await evidence_uploads(data)}
            else:
                refuse_files(data)
            command = STEPS[step](usulan=found.id, opd=opd, tahun=tahun, reason=values["reason"], source=source,
                                  **fields)
            ledger.app.handle(command, actor=actor, channel=channel)
        except RuleViolated as refused:
            status = 403 if refused.rule == "access-denied" else 400
            return proposal_page(found, status=status, values=values, message=str(refused))
        except LedgerError as error:
            return proposal_page(found, status=400, values=values, message=str(error))
        except ValueError as error:  # a jenis that is none of the decisions
            return proposal_page(found, status=400, values=values, message=str(error))
        now = ledger.read_side().proposal(found.id.hex, opd, tahun)
        request.session["flash"] = _("Proposal {id}: {status}, by {who}.").format(
            id=now.short, status=now.status.label, who=actor.name)
        return RedirectResponse(f"/usulan/{plan_address(opd, tahun)}/{found.id.hex}", status_code=303)


def decision_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(N_("decision date"), text, _("expected a date YYYY-MM-DD")) from None
