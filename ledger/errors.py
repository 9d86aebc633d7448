"""Domain errors. Every error carries the ids a user needs to find the problem."""

from __future__ import annotations

from typing import Any

from ledger.i18n import N_, _


class LedgerError(Exception):
    """Base of every error the CLI reports as one line on stderr."""


# What InvalidValue names, translated where shown (the code passes the English word).
VALUE_KINDS = (N_("Rupiah amount"), N_("kode"), N_("kode rekening"), N_("rekening"), N_("satuan"), N_("target"),
               N_("reason"), N_("name"), N_("cell"))


class InvalidValue(LedgerError):
    """A value (number, kode, satuan, date) could not be read."""

    def __init__(self, kind: str, text: str, expected: str) -> None:
        self.kind = kind
        self.text = text
        self.expected = expected
        super().__init__(_("invalid {kind} {text!r}: expected {expected}").format(kind=_(kind), text=text,
                                                                                  expected=expected))


class InvalidCommand(LedgerError):
    """A command's fields did not validate (pydantic's errors, named by field)."""

    def __init__(self, command: str, errors: list[Any]) -> None:
        self.command = command
        problems = "; ".join(f"{'.'.join(str(part) for part in error.get('loc', ())) or command}: {error.get('msg', '')}"
                             for error in errors[:3])
        super().__init__(_("invalid {command}: {problems}").format(command=command, problems=problems))


class RuleViolated(LedgerError):
    """A business rule refused a command."""

    def __init__(self, rule: str, subject: str, message: str) -> None:
        self.rule = rule
        self.subject = subject
        super().__init__(f"{subject}: {message} [{rule}]")


class NotFound(LedgerError):
    def __init__(self, what: str, key: str, hint: str = "") -> None:
        self.what = what
        self.key = key
        super().__init__(_("{what} {key!r} not found").format(what=what, key=key) + (f"; {hint}" if hint else ""))


class AlreadyRecorded(LedgerError):
    """Something that may be recorded once (a document, a line) was recorded before."""


class ConcurrentUpdate(LedgerError):
    """Another writer changed the same aggregate first."""

    def __init__(self, subject: str, detail: str) -> None:
        self.subject = subject
        super().__init__(_("{subject} was changed by another writer at the same time ({detail}); nothing was written: "
                           "re-read the line and run the command again").format(subject=subject, detail=detail))


class StaleState(LedgerError):
    """What a command was previewed on changed before it was saved (optimistic concurrency)."""

    def __init__(self, subject: str, previewed: int | None, now: int | None) -> None:
        self.subject = subject
        super().__init__(_("{subject} changed after the preview (version {previewed}, now {now}); nothing was written: "
                           "look at the new preview and save again").format(
            subject=subject, previewed=previewed if previewed is not None else "-", now=now if now is not None else "-"))


class ImportFailed(LedgerError):
    """Bad input file: names the file, the row and the field."""

    def __init__(self, file: str, row: str | int | None, field: str | None, message: str, *, unit: str = "row") -> None:
        self.file = file
        self.row = row
        self.field = field
        where = file
        if row is not None:
            where += ", " + (_("row {row}") if unit == "row" else _("line {row}")).format(row=row)
        if field:
            where += ", " + _("field {field!r}").format(field=field)
        super().__init__(f"{where}: {message}")


class ImportRejected(LedgerError):
    """Several bad rows or tables in one import: each named; nothing was imported."""

    def __init__(self, errors: list[ImportFailed], *, more: bool = False) -> None:
        self.errors = errors
        self.more = more
        lines = [str(error) for error in errors] + (["..."] if more else [])
        super().__init__(_("{count} errors; nothing was imported:").format(count=f"{len(errors)}{'+' if more else ''}")
                         + "\n  " + "\n  ".join(lines))


def rejected(errors: list[ImportFailed], *, more: bool = False) -> LedgerError:
    """One error as itself, several as one ImportRejected."""
    return errors[0] if len(errors) == 1 and not more else ImportRejected(errors, more=more)


class StoreError(LedgerError):
    """The database could not be reached or used."""


class ChainBroken(LedgerError):
    """The tamper-evidence hash chain does not verify."""
