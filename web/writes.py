"""The write forms of the web application ("Catat perubahan"), generated from the one table of
write commands (ledger.application.write_table), as the CLI's verbs are.

Each form builds the same command the CLI verb builds; the rules are the application's
(``RenjaLedger.preview`` / ``handle``), never repeated here. A field's value is read by the
table's parser of its kind, and a value that cannot be read is reported on that field, in the
user's words.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ledger.access import Permission
from ledger.application.handlers import PERMISSIONS
from ledger.application.write_table import PARSERS, WRITE_COMMANDS, Field, WriteCommand, command_of, form_fields
from ledger.basis import Source, Stage
from ledger.errors import LedgerError
from ledger.i18n import _
from ledger.line_events import Role


@dataclass(frozen=True)
class WriteForm:
    entry: WriteCommand

    @property
    def slug(self) -> str:
        return self.entry.slug

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def command(self) -> type[Any]:
        return self.entry.command

    @property
    def permission(self) -> Permission:
        return PERMISSIONS[self.command]

    @property
    def dated(self) -> bool:
        return self.entry.dated


WRITE_FORMS: dict[str, WriteForm] = {entry.slug: WriteForm(entry) for entry in WRITE_COMMANDS}
# What a new form shows first (a field the user leaves empty takes the table's default instead).
DEFAULTS = {"stage": Stage.PERUBAHAN.value, "role": Role.OWN.value, "ke": "1"}


class FormInvalid(LedgerError):
    """Fields that could not be read, each with what was expected."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def fields_of(form: WriteForm) -> tuple[Field, ...]:
    return form_fields(form.entry)


def build_command(form: WriteForm, raw: Mapping[str, str], *, opd: str, tahun: int, channel: str) -> Any:
    """The command the form's values say, or FormInvalid naming each field that cannot be read."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field in fields_of(form):
        text = (raw.get(field.name) or "").strip()
        if not text:
            if field.required:
                errors[field.name] = _("required")
            elif field.default is not None:
                values[field.name] = field.default
            continue
        try:
            values[field.name] = PARSERS[field.kind](text)
        except (ValueError, LedgerError) as error:
            errors[field.name] = str(error)
    if errors:
        raise FormInvalid(errors)
    source = Source(document=values.get("document"), command=f"{channel}: {_(form.title)}")
    try:
        return command_of(form.entry, values, opd=opd, tahun=tahun, source=source)
    except ValidationError as error:
        raise FormInvalid({str(e["loc"][0]) if e["loc"] else "form": e["msg"] for e in error.errors()}) from None


def digest(command: Any) -> str:
    """What a preview showed, to be saved unchanged: the command's content (not its source text)."""
    content = command.model_dump(mode="json", exclude={"source"})
    content["document"] = command.source.document
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]
