"""The web application: FastAPI pages over the same read side and forms as the CLI.

This first part serves what the users read: the plans, every official form at any valid
and system time with its downloads, a line's history, the change between two dates, the
findings and the chain's integrity. It records nothing, so it opens the ledger read-only
(a missing SQLite file is an error, never a new empty ledger). Accounts, roles and the
write forms come with the next part; until then `renja serve` listens on 127.0.0.1 only
by default.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from ledger.access import AccessRole, Actor, Permission
from ledger.errors import LedgerError
from ledger.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, active_language, set_language
from ledger.money import format_rupiah
from ledger.tanggal import set_zone
from projections.render.csvfile import csv_document
from projections.render.html import form_fragment, stylesheet
from projections.render.pdf import write_pdf
from projections.render.xlsx import write_xlsx
from projections.reports import REPORTS, NothingToReport, ReportKind, line_refs
from projections.system import System, open_system
from projections.tabular import Tabular
from projections.views import ReadSide
from web import akun_pages, bukti_pages, integritas_pages, replica, sipd_pages, temuan_pages, usulan_pages, write_pages
from web.auth import (
    OPEN_PATHS,
    SESSION_LIFETIME,
    LoginAttempt,
    LoginLimiter,
    LoginLimits,
    authenticate,
    csrf_token,
    csrf_valid,
    has_accounts,
    log_in,
    log_out,
    open_sessions,
    session_actor,
)
from web.chart import pagu_chart
from web.common import CURRENT, NOBODY, PageError, Visitor, attachment, in_words, parse_date, parse_instant

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
DOWNLOADS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf",
             "csv": "text/csv; charset=utf-8"}


def may_write(actor: Actor | None) -> bool:
    """Whether the page shows "Catat perubahan": the actor may write some plan or correct one."""
    return actor is not None and (actor.may(Permission.CORRECT, None) or bool(actor.opds)
                                  or actor.may(Permission.WRITE_PLAN, None))


LANGUAGE_COOKIE = "renja_bahasa"


def create_app(db: str | None = None, read_db: str | None = None) -> FastAPI:
    """The application on one ledger: ``db`` (a SQLite file or a PostgreSQL URL), else $RENJA_DB.
    Session cookies are signed with $RENJA_SECRET_KEY (a fresh key per start when it is not set);
    failed logins are limited by $RENJA_LOGIN_MAX_PER_NAME, $RENJA_LOGIN_MAX_PER_ADDRESS and
    $RENJA_LOGIN_WINDOW_SECONDS."""
    # $RENJA_READ_DB: a hot standby of a PostgreSQL ledger; pages read there, forms write to the primary.
    ledger: System = open_system(db or os.environ.get("RENJA_DB") or None, create=False,
                                 read_db=read_db or os.environ.get("RENJA_READ_DB") or None)
    sessions = open_sessions(ledger)
    async def plan_zone(request: Request) -> None:
        # A plan's pages (their path names /{opd}/{tahun}) show times in the plan's own zone (WITA
        # for Mangkutana), named: set for the whole request, so that the forms drawn before the
        # page's template (a report's meta lines, a history's cells) and the template agree.
        opd, tahun = request.path_params.get("opd"), str(request.path_params.get("tahun", ""))
        if opd and tahun.isdigit():
            set_zone(await run_in_threadpool(read().plan_zone, str(opd), int(tahun)))

    app = FastAPI(title="renja-ledger", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(plan_zone)])
    limiter = LoginLimiter(LoginLimits.from_env())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    env = Environment(loader=ChoiceLoader([FileSystemLoader(HERE / "templates"),
                                           PackageLoader("projections.render", "templates")]),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["rp"] = lambda value: format_rupiah(value) if isinstance(value, int) else ("" if value is None else value)
    env.filters["tanggal"] = in_words
    env.globals["_"] = _

    def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        visitor = CURRENT.get()
        frame = {"css": stylesheet(), "kinds": REPORTS, "who": visitor.actor.name if visitor.logged_in and visitor.actor else None,
                 "logout_token": visitor.token, "token": visitor.token, "may_write": may_write(visitor.actor),
                 "may_manage": akun_pages.may_manage(visitor.actor), "replica": replica.where_read(ledger), "lang": active_language()}
        html = env.get_template(template).render({**frame, **context})  # (in the plan's zone: plan_zone)
        return HTMLResponse(html, status_code=status_code)

    def read() -> ReadSide:
        return ledger.read_side(primary=replica.READ_PRIMARY.get())

    @app.middleware("http")
    async def security(request: Request, call_next: Any) -> Response:
        # Each request in its own language (a context variable): Indonesian unless the visitor chose
        # English (?lang=en, kept in a cookie); two visitors in two languages are served at once.
        chosen = request.query_params.get("lang")
        language = chosen if chosen in LANGUAGES else request.cookies.get(LANGUAGE_COOKIE)
        set_language(language if language in LANGUAGES else DEFAULT_LANGUAGE)
        replica.choose_reader(ledger, request)
        response: Response
        if request.url.path.startswith(OPEN_PATHS):
            CURRENT.set(NOBODY)
            response = await call_next(request)
        elif has_accounts(reader := read()):
            actor = session_actor(reader, sessions, request) if request.session.get("sid") else None
            if actor is None:  # not logged in, logged out, expired, or the account changed since: log in (again)
                if request.session.get("sid"):
                    request.session.clear()  # a session that ended; an anonymous one keeps its login-form token
                response = RedirectResponse("/masuk", status_code=303)
            else:
                CURRENT.set(Visitor(actor, True, csrf_token(request)))
                response = await call_next(request)
        else:  # a ledger without accounts has its one local user, as on the command line
            CURRENT.set(Visitor(ledger.app.actor, False, csrf_token(request)))
            response = await call_next(request)
        replica.after_write(ledger, request, response)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if chosen in LANGUAGES:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="strict", httponly=True)
        return response

    # Added after the middleware above, so it runs first: the session is there when the gate looks.
    app.add_middleware(SessionMiddleware, secret_key=os.environ.get("RENJA_SECRET_KEY") or secrets.token_urlsafe(32),
                       session_cookie="renja_sesi", same_site="strict", max_age=int(SESSION_LIFETIME.total_seconds()),
                       https_only=os.environ.get("RENJA_HTTPS_ONLY", "") not in ("", "0"))

    @app.get("/masuk", response_class=HTMLResponse)
    def masuk_form(request: Request) -> HTMLResponse:
        return page("masuk.html", token=csrf_token(request), message=None)

    @app.post("/masuk", response_model=None)
    def masuk(request: Request, name: str = Form(""), password: str = Form(""), csrf: str = Form("")) -> Response:
        if not csrf_valid(request, csrf):
            return page("error.html", 403, message=_("The form has expired; open the login page again."))
        attempt = LoginAttempt.of(name, request.client.host if request.client else "-")
        # Let through before the (slow) password check only while failures and checks in flight are
        # under the limits, so parallel guesses cannot slip past them.
        if not limiter.start(attempt):
            return page("masuk.html", 429, token=csrf_token(request),
                        message=_("Too many failed logins; wait a few minutes."))
        found = None
        try:
            found = authenticate(read(), name, password)
        finally:
            limiter.finish(attempt, succeeded=found is not None)
        if found is None:
            return page("masuk.html", 401, token=csrf_token(request), message=_("Wrong name or password."))
        log_in(sessions, request, found)
        return RedirectResponse("/", status_code=303)

    @app.post("/keluar", response_model=None)
    def keluar(request: Request, csrf: str = Form("")) -> Response:
        if not csrf_valid(request, csrf):
            return page("error.html", 403, message=_("The form has expired; open the page again."))
        log_out(sessions, request)
        return RedirectResponse("/masuk", status_code=303)

    @app.exception_handler(PageError)
    async def page_error(request: Request, error: PageError) -> HTMLResponse:
        return page("error.html", error.status, message=error.message)

    @app.exception_handler(LedgerError)
    async def ledger_error(request: Request, error: LedgerError) -> HTMLResponse:
        return page("error.html", 400, message=str(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> HTMLResponse:
        return page("error.html", error.status_code, message=_("Page not found.") if error.status_code == 404 else str(error.detail))

    @app.get("/", response_class=HTMLResponse)
    def beranda() -> HTMLResponse:
        reader, plans = read(), []
        for opd, tahun in reader.plans():
            checked = reader.check(opd, tahun)
            view = checked.view
            plans.append({"opd": opd, "tahun": tahun, "documents": sorted(view.documents, key=lambda d: d.tanggal),
                          "lines": len(view.lines), "events": reader.event_count(opd, tahun),
                          "errors": checked.errors, "findings": len(checked.findings)})
        return page("beranda.html", plans=plans, counts=reader.counts())

    @app.get("/rencana/{opd}/{tahun}/{kind}", response_model=None)
    def rencana(opd: str, tahun: int, kind: str, as_of: str | None = None, known_at: str | None = None,
                format: str | None = None, dengan_usulan: str = "") -> Response:
        if kind not in {k.value for k in ReportKind}:
            raise PageError(404, _("No such report: {kind}.").format(kind=kind))
        valid, known = parse_date(as_of, "as_of"), parse_instant(known_at, "known_at")
        what_if = dengan_usulan not in ("", "0")  # the plan with its open proposals, as if decided now
        try:
            rendered = read().report(kind, opd, tahun, as_of=valid, known_at=known, with_proposals=what_if)
        except NothingToReport as nothing:
            raise PageError(404, str(nothing)) from None
        stem = f"{kind}-{opd}-{tahun}{'-dengan-usulan' if what_if else ''}".replace(" ", "_")
        if format:
            return download(rendered.tabular, format, stem)
        links = {ref: ref for ref in line_refs(rendered.payload)}
        # A what-if says so above the form too: its notes (which proposals, which were left out) come first.
        notes = list(rendered.tabular.notes[:1 + len(rendered.payload.get("usulan_tidak_sesuai", ()))]) if what_if else []
        return page("rencana.html", opd=opd, tahun=tahun, kind=kind, title=REPORTS[ReportKind(kind)].title,
                    as_of=as_of or "", known_at=known_at or "", form=form_fragment(rendered.tabular), lines=links,
                    what_if=what_if, what_if_notes=notes)

    def download(tabular: Tabular, fmt: str, stem: str) -> Response:
        if fmt not in DOWNLOADS:
            raise PageError(400, _("format {format!r}: expected xlsx, pdf or csv").format(format=fmt))
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / f"{stem}.{fmt}"
            if fmt == "xlsx":
                write_xlsx(tabular, target)
            elif fmt == "pdf":
                write_pdf(tabular, target)
            else:
                target.write_text(csv_document(tabular), encoding="utf-8")
            content = target.read_bytes()
        return Response(content, media_type=DOWNLOADS[fmt],
                        headers={"Content-Disposition": attachment(f"{stem}.{fmt}")})

    @app.get("/baris/{opd}/{tahun}/{ref:path}", response_class=HTMLResponse)
    def riwayat(request: Request, opd: str, tahun: int, ref: str) -> HTMLResponse:
        story = read().story(opd, tahun, ref)
        return page("riwayat.html", opd=opd, tahun=tahun, line=story.line, entries=story.figures,
                    flash=request.session.pop("flash", None), stories=[e.story for e in story.pagu],
                    chart=pagu_chart(story.pagu), realised=story.realised)

    @app.get("/perubahan/{opd}/{tahun}", response_class=HTMLResponse)
    def perubahan(opd: str, tahun: int, dari: str | None = None, sampai: str | None = None) -> HTMLResponse:
        start, end = parse_date(dari, "dari"), parse_date(sampai, "sampai")
        form = None
        if start and end:
            if end < start:
                raise PageError(400, _("'sampai' is before 'dari'"))
            form = form_fragment(read().diff(opd, tahun, start, end).tabular)
        return page("perubahan.html", opd=opd, tahun=tahun, dari=dari or "", sampai=sampai or "", form=form)

    @app.get("/integritas/ekspor", response_model=None)
    def ekspor() -> Response:
        # The log holds the accounts' password hashes: only an admin (or the single local user) takes it.
        actor = CURRENT.get().actor  # the account as it stands now (the gate read it for this request)
        if has_accounts(read()) and (actor is None or actor.role is not AccessRole.ADMIN):
            raise PageError(403, _("Only an admin may export the event log (it holds the accounts' password hashes)."))
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "events.jsonl"
            read().export(target)
            content = target.read_bytes()
        return Response(content, media_type="application/x-ndjson",
                        headers={"Content-Disposition": 'attachment; filename="renja-events.jsonl"'})

    write_pages.register(app, ledger, page)
    usulan_pages.register(app, ledger, page)
    temuan_pages.register(app, ledger, page, download)
    integritas_pages.register(app, ledger, page)
    akun_pages.register(app, ledger, page)
    sipd_pages.register(app, ledger, page, download)
    bukti_pages.register(app, ledger)

    @app.get("/sehat", response_class=PlainTextResponse)
    def sehat() -> str:
        return "ok"

    return app
