"""Accounts in the browser, for an admin: list them, open one, change its role and OPDs, set a new
password. The same commands as `renja users add|role|passwd` (cli/users.py) through the same
application, so the same rules refuse the same input, each in its one place: the name
(``ledger.text.check_name``), the password (``ledger.passwords.hash_password``), the role's scope
(``ledger.accounts.Account.check_role_scope``), an account opened twice or missing (the handlers)
and who may manage accounts (``ledger.access``, checked again by ``RenjaLedger.handle``). Every
change is an account event with who made it, when, why and through which channel, as on the CLI.

Only the page is refused up front to whoever may not manage accounts; the application refuses
their commands anyway. A password is never shown back, not even in a refused form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ledger.access import AccessRole, Actor, Permission
from ledger.accounts import holdable_roles
from ledger.application.commands import AccountCommand, ChangeAccountRole, ChangePassword, OpenAccount
from ledger.basis import Source
from ledger.errors import InvalidValue, LedgerError, RuleViolated
from ledger.i18n import _
from ledger.passwords import hash_password
from ledger.text import check_name
from projections.system import System
from web.auth import signed_form
from web.common import CURRENT, PageError, channel_of

Page = Callable[..., HTMLResponse]
KEPT = ("action", "name", "role", "opd_lain", "reason")  # what a refused form shows again (never a password)


def may_manage(actor: Actor | None) -> bool:
    """Whether the visitor manages accounts: an admin (or the single user of a ledger with no
    account yet), as the access policy says."""
    return actor is not None and actor.may(Permission.MANAGE_ACCOUNTS, None)


def role_of(value: str) -> AccessRole:
    try:
        return AccessRole(value)
    except ValueError:
        raise InvalidValue("role", value, ", ".join(role.value for role in holdable_roles())) from None


def opds_of(data: FormData) -> tuple[str, ...]:
    """The OPDs ticked among the ledger's plans and those written one per line, each once."""
    written = str(data.get("opd_lain", "")).splitlines()
    named = [str(opd).strip() for opd in [*data.getlist("opd"), *written]]
    return tuple(dict.fromkeys(opd for opd in named if opd))


def new_password(name: str, data: FormData) -> str:
    """The password's hash, as `renja users` makes it; typed twice, as the CLI's prompt asks."""
    check_name(name, "name")  # before the password, as the CLI
    password = str(data.get("password", ""))
    if password != str(data.get("password2", "")):
        raise RuleViolated("password-mismatch", name, _("the two passwords differ; type the same password twice"))
    return hash_password(name, password)


Change = tuple[AccountCommand, str]  # the command, and what the page says once it is recorded (the CLI's words)


def _open(name: str, data: FormData, reason: str, source: Source) -> Change:
    role = role_of(str(data.get("role", "")))
    return (OpenAccount(name=name, role=role, opds=opds_of(data), password_hash=new_password(name, data), reason=reason,
                        source=source),
            _("account {name} opened ({role})").format(name=name, role=role.value))


def _change_role(name: str, data: FormData, reason: str, source: Source) -> Change:
    role = role_of(str(data.get("role", "")))
    return (ChangeAccountRole(name=name, role=role, opds=opds_of(data), reason=reason, source=source),
            _("account {name} is now {role}").format(name=name, role=role.value))


def _change_password(name: str, data: FormData, reason: str, source: Source) -> Change:
    return (ChangePassword(name=name, password_hash=new_password(name, data), reason=reason, source=source),
            _("password of {name} changed").format(name=name))


# The forms' actions, by the value their buttons send: `renja users add`, `role` and `passwd`.
ACTIONS: dict[str, Callable[[str, FormData, str, Source], Change]] = {
    "tambah": _open, "peran": _change_role, "sandi": _change_password}


def change_of(data: FormData, source: Source) -> Change:
    """The command a posted form asks for; an unknown action is bad input."""
    action, name, reason = (str(data.get(field, "")).strip() for field in ("action", "name", "reason"))
    if action not in ACTIONS:
        raise InvalidValue("action", action, ", ".join(ACTIONS))
    return ACTIONS[action](name, data, reason, source)


def register(app: FastAPI, ledger: System, page: Page) -> None:
    channel = channel_of(ledger)

    def managing() -> Actor:
        actor = CURRENT.get().actor
        if actor is None or not may_manage(actor):
            raise PageError(403, _("Only an admin may manage the accounts."))
        return actor

    def akun_page(status: int = 200, message: str | None = None, failed: dict[str, Any] | None = None,
                  flash: str | None = None) -> HTMLResponse:
        reader = ledger.read_side()
        return page("akun.html", status, accounts=reader.accounts(), roles=holdable_roles(),
                    plan_opds=sorted({opd for opd, _tahun in reader.plans()}), message=message, failed=failed or {},
                    flash=flash)

    @app.get("/akun", response_class=HTMLResponse)
    def akun(request: Request) -> HTMLResponse:
        managing()
        return akun_page(flash=request.session.pop("flash", None))

    @app.post("/akun", response_model=None)
    async def ubah_akun(request: Request) -> Response:
        data, actor = await signed_form(request, _("the accounts"))
        managing()
        failed: dict[str, Any] = {field: str(data.get(field, "")).strip() for field in KEPT}
        failed["opds"] = list(data.getlist("opd"))
        try:
            command, words = change_of(data, Source(command=f"{channel}: akun {failed['action']} {failed['name']}"))
            ledger.app.handle(command, actor=actor, channel=channel)
        except RuleViolated as refused:
            return akun_page(403 if refused.rule == "access-denied" else 400, str(refused), failed)
        except LedgerError as error:
            return akun_page(400, str(error), failed)
        request.session["flash"] = words
        return RedirectResponse("/akun", status_code=303)
