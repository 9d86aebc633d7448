"""The Temuan page: the plan's findings with the follow-up (tindak lanjut) of each, the followed
findings no longer found, the forms of the follow-up's steps, and the follow-up list for the
auditor as XLSX or PDF.

A step names the finding by its id (``Finding.id``, stable from its content). As on the command
line (cli/temuan_commands.py), the finding's content that the first step keeps (its rule, kodes
and message) is the server's, read from the check now, never the form's; a finding no longer
found is still followed by its id. Who may take which step is the access policy (ledger.access:
an office answers and records what it did, an auditor alone closes and reopens); the page shows
only the forms the user may use, and the application refuses the others anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ledger.access import Actor, Permission
from ledger.application.commands import AnswerFinding, CloseFinding, FollowUpStep, RecordFollowUp, ReopenFinding
from ledger.basis import Source
from ledger.errors import LedgerError, NotFound, RuleViolated
from ledger.i18n import _
from ledger.tindak_lanjut import FollowUp, FollowUpStatus
from projections.checks.report import Checked
from projections.system import System
from projections.tindak_lanjut import GONE_WORDS, STEP_WORDS, gone, status_json, trail_json
from web.auth import signed_form
from web.bukti_pages import evidence_uploads, may_read_files, refuse_files
from web.common import CURRENT, channel_of

Page = Callable[..., HTMLResponse]
Download = Callable[..., Response]
# The steps the page posts, by the name its buttons send.
STEPS: dict[str, type[FollowUpStep]] = {"answer": AnswerFinding, "act": RecordFollowUp, "close": CloseFinding,
                                        "reopen": ReopenFinding}
FILE_STEPS = ("answer", "act")  # the steps that may carry evidence files


def steps_for(follow_up: FollowUp | None, actor: Actor | None, opd: str) -> list[str]:
    """The steps this user may take on a finding now, in the order the form offers them."""
    if actor is None:
        return []
    closed = follow_up is not None and follow_up.status is FollowUpStatus.DITUTUP
    steps = []
    if not closed and actor.may(Permission.FOLLOW_UP, opd):
        steps += ["answer", "act"]
    if actor.may(Permission.AUDIT, opd):
        steps.append("reopen" if closed else "close")
    return steps


def trail_of(follow_up: FollowUp | None) -> list[dict[str, Any]]:
    """A follow-up's steps as the page lists them (its first event only keeps the finding)."""
    if follow_up is None:
        return []
    return [{**step, "kata_langkah": _(STEP_WORDS[step["langkah"]])} for step in trail_json(follow_up)["jejak"]
            if step["langkah"] != "TemuanDiikuti"]


def register(app: FastAPI, ledger: System, page: Page, download: Download) -> None:
    channel = channel_of(ledger)

    def temuan_page(opd: str, tahun: int, checked: Checked, *, rule: str = "", severity: str = "", status: int = 200,
                    message: str | None = None, failed: dict[str, str] | None = None,
                    flash: str | None = None) -> HTMLResponse:
        actor = CURRENT.get().actor
        followed = checked.follow_ups
        findings = checked.matching(rule, severity)
        no_longer = gone(checked.findings, followed)
        keys = [f.id for f in findings] + [f.temuan for f in no_longer]
        follow = {key: {"status": status_json(followed.get(key)), "trail": trail_of(followed.get(key)),
                        "steps": steps_for(followed.get(key), actor, opd)} for key in keys}
        return page("temuan.html", status, opd=opd, tahun=tahun, findings=findings, rules=ledger.read_side().rules(),
                    rule=rule, severity=severity, follow=follow, gone=no_longer, gone_words=_(GONE_WORDS),
                    message=message, failed=failed or {}, flash=flash, files_readable=may_read_files(actor, opd))

    @app.get("/temuan/{opd}/{tahun}", response_model=None)
    def temuan(request: Request, opd: str, tahun: int, rule: str = "", severity: str = "",
               format: str | None = None) -> Response:
        reader = ledger.read_side()
        if format:  # the auditor's list: every finding with its follow-up, then those no longer found
            return download(reader.follow_up_list(opd, tahun).tabular, format,
                            f"tindak-lanjut-{opd}-{tahun}".replace(" ", "_"))
        return temuan_page(opd, tahun, reader.check(opd, tahun), rule=rule, severity=severity,
                           flash=request.session.pop("flash", None))

    @app.post("/temuan/{opd}/{tahun}", response_model=None)
    async def tindak_lanjut(request: Request, opd: str, tahun: int) -> Response:
        data, actor = await signed_form(request, opd)
        values = {name: str(data.get(name, "")).strip() for name in ("temuan", "step", "reason", "bukti")}
        checked = ledger.read_side().check(opd, tahun)
        key, step = values["temuan"], values["step"]
        finding = next((f for f in checked.findings if f.id == key), None)
        try:
            if step not in STEPS:
                raise RuleViolated("temuan-step", step, _("No such step: {step}.").format(step=step))
            if finding is None and key not in checked.follow_ups:
                raise NotFound("temuan", key, _("the plan's findings are listed on this page"))
            # The finding as the check reads it now goes with the first step (the server's, not the form's).
            content: dict[str, Any] = {"rule": finding.rule, "kodes": tuple(finding.kodes), "pesan": finding.message} \
                if finding is not None else {}
            extra: dict[str, Any] = {"bukti": values["bukti"] or None} if step == "act" else {}
            if step in FILE_STEPS:
                extra["lampiran"] = await evidence_uploads(data)
            else:
                refuse_files(data)
            command = STEPS[step](opd=opd, tahun=tahun, temuan=key, reason=values["reason"],
                                  source=Source(command=f"{channel}: temuan {step} {key}"), **content, **extra)
            ledger.app.handle(command, actor=actor, channel=channel)
        except RuleViolated as refused:
            return temuan_page(opd, tahun, checked, status=403 if refused.rule == "access-denied" else 400,
                               message=str(refused), failed=values)
        except LedgerError as error:
            return temuan_page(opd, tahun, checked, status=400, message=str(error), failed=values)
        now = ledger.read_side().follow_ups(opd, tahun)[key].status
        request.session["flash"] = _("Finding {id}: {status}, by {who}.").format(
            id=key, status=now.label if now else _("open"), who=actor.name)
        return RedirectResponse(f"/temuan/{quote(opd, safe='')}/{tahun}#temuan-{key}", status_code=303)
