"""The words typer and its copy of click print around our own, in the active language: help
panel titles, [required], [default: ...], the error panel, the usage line, and the usage errors
themselves ("Missing option '--from'.", "Invalid value for '--as-of'", "No such option").

typer translates its own words through ``gettext``'s global domain, which knows no Indonesian:
its ``_`` is pointed at the ledger's catalog (``ledger.i18n``) and the panel titles it computed
at import are computed again. click builds its usage errors as f-strings with no translation
hook, so each error class's ``format_message`` is replaced by one that tells the same error
through the catalog from the values the exception carries (its parameter, its hint), and a
message click built as a whole sentence is read back into its values by the pattern of the
English sentence (``CLICK_SENTENCES``) and told again. Every message id is listed here, so that
the catalog test requires each translation.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

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

# The usage line and the help option, as click writes them in every command's help.
USAGE_PREFIX = N_("Usage: ")
OPTIONS_METAVAR = N_("[OPTIONS]")
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")
HELP_OPTION_HELP = N_("Show this message and exit.")

# A missing parameter, by click's name for its kind.
MISSING = {"option": N_("Missing option {hint}."), "argument": N_("Missing argument {hint}."),
           "parameter": N_("Missing parameter {hint}.")}
INVALID_FOR = N_("Invalid value for {hint}: {message}")
INVALID = N_("Invalid value: {message}")
POSSIBLE_OPTIONS = N_("(Possible options: {options})")

# Sentences click, typer and pydantic build as f-strings: the English pattern, read back into its
# values, and the same sentence as a message of the catalog.
CLICK_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), message) for pattern, message in (
        (r"Got unexpected extra argument(?:\(s\)|s)? \((?P<arguments>.*)\)", N_("Got unexpected extra argument(s) ({arguments})")),
        (r"No such option: (?P<option>.*)", N_("No such option: {option}")),
        (r"Option (?P<option>'.*') requires an argument\.", N_("Option {option} requires an argument.")),
        (r"Option (?P<option>'.*') requires (?P<count>\d+) arguments\.", N_("Option {option} requires {count} arguments.")),
        (r"Option (?P<option>'.*') does not take a value\.", N_("Option {option} does not take a value.")),
        (r"Argument (?P<argument>'.*') takes (?P<count>\d+) values\.", N_("Argument {argument} takes {count} values.")),
        (r"(?:Value error, )?(?P<value>.*) is not one of (?P<choices>.*)\.", N_("{value} is not one of {choices}.")),
        (r"Choose from:(?P<choices>.*)", N_("Choose from:{choices}")),
        (r"Input should be a valid integer.*", N_("expected a whole number")),
        (r"Input should be a valid number.*", N_("expected a number")),
        (r"Input should be a valid boolean.*", N_("expected yes or no")),
        (r"(?:File|Directory|Path) (?P<path>'.*') does not exist\.", N_("{path} does not exist.")),
        (r"(?:File|Directory|Path) (?P<path>'.*') is a file\.", N_("{path} is a file, not a folder.")),
        (r"(?:File|Directory|Path) (?P<path>'.*') is a directory\.", N_("{path} is a folder, not a file.")),
        (r"(?:File|Directory|Path) (?P<path>'.*') is not readable\.", N_("{path} cannot be read.")),
        (r"(?:File|Directory|Path) (?P<path>'.*') is not writable\.", N_("{path} cannot be written.")),
    ))


def told(sentence: str) -> str:
    """A sentence click built in English, in the active language (as it is when no pattern knows it:
    then it is one of ours, already translated where it was raised)."""
    for pattern, message in CLICK_SENTENCES:
        found = pattern.fullmatch(sentence)
        if found:
            return _(message).format(**found.groupdict())
    return sentence


def _hint(error: Any) -> str | None:
    """The parameter an error names, as click quotes it ('--as-of', 'kode')."""
    hint = error.param_hint if error.param_hint is not None else (error.param.get_error_hint() if error.param else None)
    if hint is None or isinstance(hint, str):
        return hint
    return " / ".join(repr(name) for name in hint)


def usage_message(error: Any) -> str:
    return told(error.message)


def bad_parameter_message(error: Any) -> str:
    hint = _hint(error)
    if hint is None:
        return _(INVALID).format(message=told(error.message))
    return _(INVALID_FOR).format(hint=hint, message=told(error.message))


def missing_message(error: Any) -> str:
    kind = error.param_type or (error.param.param_type_name if error.param is not None else "parameter")
    hint = _hint(error)
    sentence = _(MISSING.get(kind, MISSING["parameter"])).format(hint=hint or "-")
    extra = [told(part) for part in (error.message, error.param.get_missing_message(ctx=error.ctx) if error.param else "") if part]
    return " ".join([sentence, *extra])


def no_such_option_message(error: Any) -> str:
    message = told(error.message)
    if not error.possibilities:
        return message
    return f"{message} {_(POSSIBLE_OPTIONS).format(options=', '.join(sorted(error.possibilities)))}"


def _translated_write_usage(original: Callable[..., None]) -> Callable[..., None]:
    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, _(USAGE_PREFIX) if prefix is None else prefix)
    write_usage.__wrapped__ = original  # type: ignore[attr-defined]
    return write_usage


def _translated_help_option(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = _(HELP_OPTION_HELP)
        return option
    get_help_option.__wrapped__ = original  # type: ignore[attr-defined]
    return get_help_option


def _unwrapped(function: Callable[..., Any]) -> Callable[..., Any]:
    """click's own function under ours (``install`` may run more than once in a process)."""
    return getattr(function, "__wrapped__", function)


def install() -> None:
    """typer's and click's words in the language of this run (call after the language is chosen)."""
    core = importlib.import_module("typer.core")
    rich_utils = importlib.import_module("typer.rich_utils")
    exceptions = importlib.import_module("typer._click.exceptions")
    formatting = importlib.import_module("typer._click.formatting")
    click_core = importlib.import_module("typer._click.core")
    core._ = _  # type: ignore[attr-defined]
    rich_utils._ = _  # type: ignore[attr-defined]
    for name, message in PANEL_WORDS.items():
        setattr(rich_utils, name, _(message))
    exceptions.UsageError.format_message = usage_message
    exceptions.BadParameter.format_message = bad_parameter_message
    exceptions.MissingParameter.format_message = missing_message
    exceptions.NoSuchOption.format_message = no_such_option_message
    formatting.HelpFormatter.write_usage = _translated_write_usage(_unwrapped(formatting.HelpFormatter.write_usage))
    click_core.Command.get_help_option = _translated_help_option(_unwrapped(click_core.Command.get_help_option))


def translate_usage(command: Any) -> None:
    """The usage line's placeholders of one command ([OPTIONS], COMMAND [ARGS]...) in the active language."""
    if getattr(command, "options_metavar", None) == OPTIONS_METAVAR:
        command.options_metavar = _(OPTIONS_METAVAR)
    if getattr(command, "subcommand_metavar", None) == SUBCOMMAND_METAVAR:
        command.subcommand_metavar = _(SUBCOMMAND_METAVAR)
