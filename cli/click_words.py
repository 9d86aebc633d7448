"""The words typer prints around our own (help panel titles, [required], [default: ...], the
error panel), in the active language. typer translates them through ``gettext``'s global domain,
which knows no Indonesian: its ``_`` is pointed at the ledger's catalog (``ledger.i18n``) and the
panel titles it computed at import are computed again. The message ids are typer's, listed here
so that the catalog test requires each translation.

The usage errors themselves ("Missing argument 'kode'.", "Invalid value for '--as-of'") come
from the copy of click inside typer, which builds them as f-strings with no translation hook:
they stay in English, after our own message (``renja: ...``) where we raise one.
"""

from __future__ import annotations

import importlib

from ledger.i18n import N_, _

# typer.rich_utils's constants, each computed from its message id at import: computed again.
PANEL_WORDS = {"DEPRECATED_STRING": N_("(deprecated) "), "DEFAULT_STRING": N_("[default: {}]"),
               "ENVVAR_STRING": N_("[env var: {}]"), "REQUIRED_LONG_STRING": N_("[required]"),
               "ARGUMENTS_PANEL_TITLE": N_("Arguments"), "OPTIONS_PANEL_TITLE": N_("Options"),
               "COMMANDS_PANEL_TITLE": N_("Commands"), "ERRORS_PANEL_TITLE": N_("Error"), "ABORTED_TEXT": N_("Aborted."),
               "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help.")}
# What typer.core translates when it prints them.
CORE_MESSAGES = (N_("Aborted!"), N_("Missing command."), N_("No such command {name!r}."), N_("default: {default}"),
                 N_("required"), N_("(dynamic)"), N_("env var: {var}"))


def install() -> None:
    """typer's words in the language of this run (call after the language is chosen)."""
    core = importlib.import_module("typer.core")
    rich_utils = importlib.import_module("typer.rich_utils")
    core._ = _  # type: ignore[attr-defined]
    rich_utils._ = _  # type: ignore[attr-defined]
    for name, message in PANEL_WORDS.items():
        setattr(rich_utils, name, _(message))
