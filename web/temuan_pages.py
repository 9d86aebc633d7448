"""The Temuan page: the plan's findings with the follow-up (tindak lanjut) of each, the followed
findings no longer found, the forms of the follow-up's steps, and the follow-up list for the
auditor as XLSX, CSV or PDF.

The findings are those of the plan in force on a date (``as_of``, valid time, as `renja check
--as-of`), narrowed to one rule and one severity (``ReadSide.findings``), 25 to a page; the
download is the same narrowed list (``ReadSide.follow_up_list``). Each rule is named by its id
and its short title (``Rule.title``, given with its ``@rule``).

A step names the finding by its id (``Finding.id``, stable from its content). As on the command
line (cli/temuan_commands.py), the finding's content that the first step keeps (its rule, kodes
and message) is the server's, read from the check now, never the form's; a finding no longer
found is still followed by its id. Who may take which step is the access policy (ledger.access:
an office answers and records what it did, an auditor alone closes and reopens); the page shows
only the forms the user may use, and the application refuses the others anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ledger.access import Actor, Permission
from ledger.application.commands import AnswerFinding, CloseFinding, FollowUpStep, RecordFollowUp, ReopenFinding
from ledger.basis import Source
from ledger.errors import LedgerError, NotFound, RuleViolated
from ledger.i18n import _
from ledger.tindak_lanjut import FollowUp, FollowUpStatus
from projections.checks import Severity
from projections.checks.report import Checked
from projections.system import System
from projections.tindak_lanjut import GONE_WORDS, STEP_WORDS, gone, status_json, trail_json
from web.auth import signed_form
from web.bukti_pages import evidence_uploads, may_read_files, refuse_files
from web.common import CURRENT, PageError, channel_of, parse_date

Page = Callable[..., HTMLResponse]
Download = Callable[..., Response]
# The steps the page posts, by the name its buttons send.
STEPS: dict[str, type[FollowUpStep]] = {"answer": AnswerFinding, "act": RecordFollowUp, "close": CloseFinding,
                                        "reopen": ReopenFinding}
FILE_STEPS = ("answer", "act")  # the steps that may carry evidence files
PER_PAGE = 25
Item = TypeVar("Item")


@dataclass(frozen=True)
class Shown:
    """Which findings the page shows: the plan in force on ``as_of`` (empty: now), of one rule and
    one severity (empty: any), and which page of them. A follow-up form sends them back, so that
    its answer returns to the list it was posted from."""

    rule: str = ""
    severity: str = ""
    as_of: str = ""
    page: int = 1

    @classmethod
    def of(cls, values: Any) -> Shown:
        """From the query or a posted form; a page that is not a number is bad input."""
        number = str(values.get("halaman", "") or "1").strip()
        if not number.isascii() or not number.isdigit() or int(number) < 1:
            raise PageError(400, _("halaman: {value!r} is not a page number").format(value=number))
        rule, severity, as_of = (str(values.get(name, "") or "").strip() for name in ("rule", "severity", "as_of"))
        shown = cls(rule, severity, as_of, int(number))
        parse_date(shown.as_of, "as_of")  # a bad date is refused before the (slow) check
        return shown

    @property
    def valid(self) -> date | None:
        return parse_date(self.as_of, "as_of")

    def query(self, **changes: Any) -> str:
        """The page's query string with some values changed; empty values are left out."""
        values = {"rule": self.rule, "severity": self.severity, "as_of": self.as_of, "halaman": self.page, **changes}
        return urlencode({name: value for name, value in values.items()
                          if value not in ("", None) and not (name == "halaman" and value == 1)})

    def link(self, base: str, **changes: Any) -> str:
        """``base`` with the page's query, some values changed."""
        query = self.query(**changes)
        return f"{base}?{query}" if query else base

    def stem(self, opd: str, tahun: int) -> str:
        """The download's name: the plan, then what narrowed it."""
        parts = ["tindak-lanjut", opd, str(tahun), self.rule, self.severity, self.as_of]
        return "-".join(part for part in parts if part).replace(" ", "_")


@dataclass(frozen=True)
class Paging:
    """One page of a list: its number (within 1..pages), how many pages, how many items in all."""

    page: int
    pages: int
    total: int

    @classmethod
    def of(cls, total: int, asked: int, size: int = PER_PAGE) -> Paging:
        pages = max(1, -(-total // size))
        return cls(min(asked, pages), pages, total)

    def window(self, items: Sequence[Item], size: int = PER_PAGE) -> list[Item]:
        start = (self.page - 1) * size
        return list(items[start:start + size])

    @property
    def first(self) -> int:
        """The list position (from 1) of the page's first item; 0 for an empty list."""
        return min(self.total, (self.page - 1) * PER_PAGE + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.page * PER_PAGE)


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

    def temuan_page(opd: str, tahun: int, checked: Checked, shown: Shown, *, status: int = 200,
                    message: str | None = None, failed: dict[str, str] | None = None,
                    flash: str | None = None) -> HTMLResponse:
        """The page of ``checked`` (the findings as ``shown`` narrows them) that ``shown`` asks for."""
        actor = CURRENT.get().actor
        followed = checked.follow_ups
        paging = Paging.of(len(checked.findings), shown.page)
        findings = paging.window(checked.findings)
        no_longer = gone(checked.findings, followed)
        keys = [f.id for f in findings] + [f.temuan for f in no_longer]
        follow = {key: {"status": status_json(followed.get(key)), "trail": trail_of(followed.get(key)),
                        "steps": steps_for(followed.get(key), actor, opd)} for key in keys}
        rules = ledger.read_side().rules()
        return page("temuan.html", status, opd=opd, tahun=tahun, findings=findings, paging=paging, shown=shown,
                    rules=rules, titles={r.id: r.title for r in rules}, severities=[s.value for s in Severity],
                    rule=shown.rule, severity=shown.severity, follow=follow, gone=no_longer,
                    gone_words=_(GONE_WORDS), message=message, failed=failed or {}, flash=flash,
                    files_readable=may_read_files(actor, opd))

    @app.get("/temuan/{opd}/{tahun}", response_model=None)
    def temuan(request: Request, opd: str, tahun: int, format: str | None = None) -> Response:
        shown = Shown.of(request.query_params)
        reader = ledger.read_side()
        if format:  # the auditor's list: the findings shown with their follow-up, then those no longer found
            listed = reader.follow_up_list(opd, tahun, as_of=shown.valid, rule=shown.rule, severity=shown.severity)
            return download(listed.tabular, format, shown.stem(opd, tahun))
        checked = reader.findings(opd, tahun, as_of=shown.valid, rule=shown.rule, severity=shown.severity)
        return temuan_page(opd, tahun, checked, shown, flash=request.session.pop("flash", None))

    @app.post("/temuan/{opd}/{tahun}", response_model=None)
    async def tindak_lanjut(request: Request, opd: str, tahun: int) -> Response:
        data, actor = await signed_form(request, opd)
        values = {name: str(data.get(name, "")).strip() for name in ("temuan", "step", "reason", "bukti")}
        shown = Shown.of(data)
        reader = ledger.read_side()
        checked = reader.check(opd, tahun)  # every finding now: the step names one by its id, as the CLI's

        def refused_page(status: int, message: str) -> HTMLResponse:
            narrowed = reader.findings(opd, tahun, as_of=shown.valid, rule=shown.rule, severity=shown.severity)
            return temuan_page(opd, tahun, narrowed, shown, status=status, message=message, failed=values)
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
            return refused_page(403 if refused.rule == "access-denied" else 400, str(refused))
        except LedgerError as error:
            return refused_page(400, str(error))
        now = ledger.read_side().follow_ups(opd, tahun)[key].status
        request.session["flash"] = _("Finding {id}: {status}, by {who}.").format(
            id=key, status=now.label if now else _("open"), who=actor.name)
        back = shown.link(f"/temuan/{quote(opd, safe='')}/{tahun}")
        return RedirectResponse(f"{back}#temuan-{key}", status_code=303)
