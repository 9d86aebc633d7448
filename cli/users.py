"""`renja users add|passwd|role|disable|list`: the accounts of the people who record, kept in the ledger
as events (who changed which account, when, why). Only admins (or the single user of a
ledger that has no account yet) may change them; passwords are read without echo, or from
standard input with --password-stdin, and only their argon2 hash is recorded."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli.context import settings
from cli.safe import echo
from cli.write_commands import command_source
from ledger.access import AccessRole
from ledger.application.commands import ChangeAccountRole, ChangePassword, OpenAccount
from ledger.i18n import _
from ledger.passwords import hash_password
from ledger.text import check_name

users_app = typer.Typer(help="Accounts of the people who record (kept in the ledger as events).", no_args_is_help=True)
NameArg = Annotated[str, typer.Argument(help="The account name (on PostgreSQL: the database role it logs in as).")]
RoleOpt = Annotated[AccessRole, typer.Option("--role", help="perencana, verifikator, penetap, auditor or admin "
                                                           "(nonaktif: disabled, as `renja users disable`).")]
OpdOpt = Annotated[list[str] | None, typer.Option("--opd", help="An OPD whose plans a perencana records (repeat for several).")]
StdinOpt = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")]
WhyOpt = Annotated[str, typer.Option("--reason", help="Why (e.g. the SK that assigns the role).")]


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def add(ctx: typer.Context, name: NameArg, role: RoleOpt, opd: OpdOpt = None, password_stdin: StdinOpt = False,
        reason: WhyOpt = "") -> None:
    """Open an account with its role (and, for a perencana, its OPDs)."""
    check_name(name, "name")  # before the password is asked for
    password_hash = hash_password(name, read_password(password_stdin))
    settings(ctx).app.handle(OpenAccount(name=name, role=role, opds=tuple(opd or ()), password_hash=password_hash,
                                         reason=reason, source=command_source(None)))
    echo(_("account {name} opened ({role})").format(name=name, role=role.value))


@users_app.command("passwd")
def passwd(ctx: typer.Context, name: NameArg, password_stdin: StdinOpt = False, reason: WhyOpt = "") -> None:
    """Set a new password for an account."""
    check_name(name, "name")
    password_hash = hash_password(name, read_password(password_stdin))
    settings(ctx).app.handle(ChangePassword(name=name, password_hash=password_hash, reason=reason, source=command_source(None)))
    echo(_("password of {name} changed").format(name=name))


@users_app.command("disable")
def disable(ctx: typer.Context, name: NameArg, reason: WhyOpt = "") -> None:
    """Disable an account: it logs in no more and records nothing (its role becomes nonaktif; its
    history stays). `renja users role NAME --role ...` enables it again."""
    settings(ctx).app.handle(ChangeAccountRole(name=name, role=AccessRole.NONAKTIF, reason=reason,
                                               source=command_source(None)))
    echo(_("account {name} disabled").format(name=name))


@users_app.command("role")
def role(ctx: typer.Context, name: NameArg, new_role: RoleOpt, opd: OpdOpt = None, reason: WhyOpt = "") -> None:
    """Change an account's role and OPDs."""
    settings(ctx).app.handle(ChangeAccountRole(name=name, role=new_role, opds=tuple(opd or ()), reason=reason,
                                               source=command_source(None)))
    echo(_("account {name} is now {role}").format(name=name, role=new_role.value))


@users_app.command("list")
def list_accounts(ctx: typer.Context) -> None:
    """The accounts, their roles and OPDs."""
    found = settings(ctx).read.accounts()
    if not found:
        echo(_("no account yet: the ledger's single user records everything (see `renja users add`)"))
    for row in found:
        echo(f"{row.name}\t{row.role.value}\t{', '.join(row.opds) or '-'}\t{row.opened_by}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
