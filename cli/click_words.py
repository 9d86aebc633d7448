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

TYPER_MESSAGES = (
    N_("Arguments"), N_("Options"), N_("Commands"), N_("Error"), N_("[required]"), N_("[default: {}]"),
    N_("[env var: {}]"), N_("(deprecated) "), N_("Aborted."), N_("Aborted!"), N_("Missing command."),
    N_("No such command {name!r}."), N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    N_("default: {default}"), N_("required"), N_("(dynamic)"), N_("env var: {var}"),
)
# typer.rich_utils's constants, each the translation of its message id at import time.
PANEL_WORDS = {"DEPRECATED_STRING": "(deprecated) ", "DEFAULT_STRING": "[default: {}]",
               "ENVVAR_STRING": "[env var: {}]", "REQUIRED_LONG_STRING": "[required]",
               "ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options",
               "COMMANDS_PANEL_TITLE": "Commands", "ERRORS_PANEL_TITLE": "Error", "ABORTED_TEXT": "Aborted.",
               "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help."}


def install() -> None:
    """typer's words in the language of this run (call after the language is chosen)."""
    core = importlib.import_module("typer.core")
    rich_utils = importlib.import_module("typer.rich_utils")
    core._ = _  # type: ignore[attr-defined]
    rich_utils._ = _  # type: ignore[attr-defined]
    for name, message in PANEL_WORDS.items():
        setattr(rich_utils, name, _(message))
