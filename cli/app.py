"""The `renja` command: one typer app, one command per verb."""

from __future__ import annotations

import gc
import inspect
import os
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperGroup, TyperOption
from typer.exceptions import Abort, Exit, TyperException

from cli import (
    audit_commands,
    bukti_commands,
    check_commands,
    click_words,
    db_commands,
    demo,
    import_commands,
    report_commands,
    serve,
    sipd_commands,
    temuan_commands,
    users,
    usulan_commands,
    write_commands,
)
from cli.bench import command
from cli.context import Settings
from cli.safe import echo
from ledger.errors import LedgerError
from ledger.i18n import LANGUAGES, _, language_from, set_language
from ledger.tanggal import set_zone


class LedgerGroup(TyperGroup):
    """Reports every LedgerError (and anything unforeseen) as one line on stderr."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LedgerError as error:
            echo(f"renja: {error}", err=True)
            raise typer.Exit(1) from None
        except (Exit, Abort, TyperException):
            raise
        except BrokenPipeError:
            # `renja report ... | head`: the reader has all it wants; end quietly.
            quiet_broken_pipe()
            raise typer.Exit(0) from None
        except Exception as error:
            if os.environ.get("RENJA_DEBUG"):
                raise
            echo(f"renja: internal error: {type(error).__name__}: {error} (set RENJA_DEBUG=1 for details)", err=True)
            raise typer.Exit(1) from None


def quiet_broken_pipe() -> None:
    """Point stdout at /dev/null so that Python's exit flush does not complain about the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def flag_shows_no_type(original: Any) -> Any:
    """Help lists a flag as `--fresh`, not `--fresh <bool>` (typer 0.29 prints every option's type),
    and a choice as `<ppkd | sekda | perkada | perda>`: rich breaks a line only at a space, and
    folds an unbroken `<ppkd|sekda|...>` mid-word in a narrow help screen."""
    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        shown = None if self.is_flag else original(self, ctx)
        return shown.replace("|", " | ") if shown else shown
    return display_type_rich


TyperOption.display_type_rich = flag_shows_no_type(TyperOption.display_type_rich)  # type: ignore[method-assign]

app = typer.Typer(
    cls=LedgerGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="renja-ledger: an event-sourced budget revision ledger for Renja, Rencana Aksi and RKPD review.",
)


class Language(StrEnum):
    ID = "id"
    EN = "en"


# The verbs that record events: only they may create a new, empty ledger.
RECORDING_VERBS = frozenset({"import", "sipd", "demo", *write_commands.VERBS, "import-events", "users"})


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", help="Ledger database: a SQLite file or a postgresql:// URL. Default: $RENJA_DB or ./renja.db")] = None,
    opd: Annotated[str | None, typer.Option("--opd", help="The OPD (perangkat daerah); optional when the ledger holds one plan.")] = None,
    tahun: Annotated[int | None, typer.Option("--tahun", help="The plan year; optional when the ledger holds one plan.")] = None,
    user: Annotated[str | None, typer.Option("--user", help="Who records: default $RENJA_USER or the login name.")] = None,
    lang: Annotated[Language | None, typer.Option("--lang", help="Language of messages and help: id (default) or en; also $RENJA_LANG or the locale.")] = None,
) -> None:
    # Every invocation sets its language (an earlier one in the same process may have chosen another).
    set_language(lang.value if lang is not None else language_from(os.environ))
    set_zone(None)  # nor the zone of the plan it read (Settings.plan sets this command's)
    ctx.obj = Settings(db=db, opd=opd, tahun=tahun, user=user, create=ctx.invoked_subcommand in RECORDING_VERBS)


for module in (write_commands, import_commands, sipd_commands, demo, report_commands, audit_commands, check_commands, serve, users,
               db_commands, usulan_commands, temuan_commands, bukti_commands, command):
    module.register(app)


def chosen_language(argv: list[str]) -> str | None:
    """`--lang X` or `--lang=X` before the verb: needed before the help is drawn."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return None


def translate_help(command: Any) -> None:
    """Every command's and option's help in the active language (message ids are the English texts)."""
    if command.help:
        command.help = _(inspect.cleandoc(command.help))
    click_words.translate_usage(command)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub)


def main() -> None:
    # A command builds many short-lived event objects; the default collector thresholds
    # made rebuilds spend most of their time in GC (measured: rebuild 16.7k -> 28.5k
    # events/s on SQLite with these settings). Objects alive at start-up are frozen.
    gc.freeze()
    gc.set_threshold(700, 1000, 1000)
    language = chosen_language(sys.argv[1:])
    if language in LANGUAGES:
        set_language(language)
    renja_command()(prog_name="renja")


def renja_command() -> Any:
    """The click command of the app, with typer's and click's words and every help in the chosen language."""
    click_words.install()
    command = typer.main.get_command(app)
    translate_help(command)
    return command


if __name__ == "__main__":  # pragma: no cover
    main()
