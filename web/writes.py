"""The write forms of the web application ("Catat perubahan"), defined once as data.

Each form names its fields and builds the same command the CLI verb builds; the rules are
the application's (``RenjaLedger.preview`` / ``handle``), never repeated here. A field's
value is read by the parser of its kind, and a value that cannot be read is reported on
that field, in the user's words.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from ledger.access import Permission
from ledger.application.commands import (
    AssignPenanggungJawab,
    ChangeIndicator,
    CorrectEvent,
    DatedCommand,
    Reallocate,
    RevisePagu,
    SetTarget,
    ShiftPagu,
)
from ledger.application.handlers import PERMISSIONS
from ledger.basis import Source, Stage
from ledger.errors import LedgerError
from ledger.i18n import N_, _
from ledger.line_events import Role
from ledger.money import Rupiah
from ledger.numbers import parse_decimal
from ledger.pergeseran import Authority
from ledger.target import Target, parse_satuan


@dataclass(frozen=True)
class Field:
    name: str  # the command's field name where there is one
    label: str
    kind: str  # text, date, rupiah, decimal, satuan, stage, role, authority, triwulan, number, line
    required: bool = True
    hint: str = ""


def _text(value: str) -> str:
    return value.strip()


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(_("expected a date YYYY-MM-DD")) from None


def _whole(value: str) -> int:
    if not value.strip().isascii() or not value.strip().isdigit():
        raise ValueError(_("expected a whole number"))
    return int(value.strip())


def _choice(enum: type[Stage] | type[Role] | type[Authority]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        try:
            return enum(value)
        except ValueError:
            raise ValueError(_("expected one of {choices}").format(choices=", ".join(m.value for m in enum))) from None
    return parse


PARSERS: dict[str, Callable[[str], Any]] = {
    "text": _text, "line": _text, "date": _date, "rupiah": Rupiah.parse, "number": _whole, "triwulan": _whole,
    "decimal": lambda value: parse_decimal(value, kind="target value"), "satuan": parse_satuan,
    "stage": _choice(Stage), "role": _choice(Role), "authority": _choice(Authority),
}

EFFECTIVE = Field("effective_on", N_("Effective date"), "date", hint=N_("the date the decision takes force"))
REASON = Field("reason", N_("Reason"), "text", hint=N_("the decision and why, e.g. SK Bupati 12/2024"))
DOCUMENT = Field("document", N_("Document"), "text", required=False, hint=N_("the decision's document, if any"))
LINE = Field("line", N_("Line"), "line", hint=N_("kode or exact name"))
STAGE = Field("stage", N_("Stage"), "stage")


def _target(values: Mapping[str, Any]) -> Target | None:
    if values.get("nilai") is None:
        return None
    return Target(nilai=values["nilai"], satuan=values.get("satuan") or "")


@dataclass(frozen=True)
class WriteForm:
    slug: str
    title: str
    command: type[Any]
    fields: tuple[Field, ...]
    build: Callable[[Mapping[str, Any]], dict[str, Any]]  # the parsed fields -> the command's own fields

    @property
    def permission(self) -> Permission:
        return PERMISSIONS[self.command]

    @property
    def dated(self) -> bool:
        return issubclass(self.command, DatedCommand)


def _same(*names: str) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    return lambda values: {name: values[name] for name in names if values.get(name) is not None}


WRITE_FORMS: dict[str, WriteForm] = {form.slug: form for form in (
    WriteForm("revisi-pagu", N_("Revise a pagu"), RevisePagu,
              (LINE, STAGE, Field("rupiah", N_("New pagu (Rp)"), "rupiah")), _same("line", "stage", "rupiah")),
    WriteForm("pergeseran", N_("Pergeseran between two lines"), ShiftPagu,
              (Field("from_line", N_("From line"), "line", hint=N_("a sub-kegiatan, or an account: sub-kegiatan/kode rekening")),
               Field("to_line", N_("To line"), "line"), STAGE, Field("rupiah", N_("Amount (Rp)"), "rupiah"),
               Field("authority", N_("Decision (between accounts)"), "authority", required=False,
                     hint=N_("inside an objek: PPKD; between objek of one jenis: Sekretaris Daerah; between jenis or "
                             "sub-kegiatan: Perda APBD")),
               Field("decision", N_("Decision number"), "text", required=False)),
              _same("from_line", "to_line", "stage", "rupiah", "authority", "decision")),
    WriteForm("realokasi", N_("Reallocate between triwulan"), Reallocate,
              (LINE, STAGE, Field("from_tw", N_("From triwulan"), "triwulan"), Field("to_tw", N_("To triwulan"), "triwulan"),
               Field("rupiah", N_("Amount (Rp)"), "rupiah"),
               Field("target", N_("Target moved with it"), "decimal", required=False)),
              _same("line", "stage", "from_tw", "to_tw", "rupiah", "target")),
    WriteForm("target", N_("Set or change a target"), SetTarget,
              (LINE, STAGE, Field("role", N_("Indicator"), "role"), Field("ke", N_("Number (ke)"), "number"),
               Field("nilai", N_("Target value"), "decimal"), Field("satuan", N_("Satuan as printed"), "satuan", required=False)),
              lambda values: {**_same("line", "stage", "role", "ke")(values), "target": _target(values)}),
    WriteForm("indikator", N_("Change an indicator's wording"), ChangeIndicator,
              (LINE, STAGE, Field("role", N_("Indicator"), "role"), Field("ke", N_("Number (ke)"), "number"),
               Field("text", N_("Indicator as worded"), "text")), _same("line", "stage", "role", "ke", "text")),
    WriteForm("penanggung-jawab", N_("Assign the penanggung jawab"), AssignPenanggungJawab,
              (LINE, Field("name", N_("Penanggung jawab"), "text")), _same("line", "name")),
    WriteForm("koreksi", N_("Correct an event"), CorrectEvent,
              (LINE, Field("version", N_("Event version (see the line's history)"), "number"),
               Field("rupiah", N_("The right pagu (Rp)"), "rupiah", required=False),
               Field("nilai", N_("The right target value"), "decimal", required=False),
               Field("satuan", N_("Its satuan"), "satuan", required=False)),
              lambda values: {**_same("line", "version", "rupiah")(values), "target": _target(values)}),
)}
DEFAULTS = {"stage": Stage.PERUBAHAN.value, "role": Role.OWN.value, "ke": "1"}


class FormInvalid(LedgerError):
    """Fields that could not be read, each with what was expected."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def fields_of(form: WriteForm) -> tuple[Field, ...]:
    common = (EFFECTIVE,) if form.dated else ()
    return (*form.fields, *common, REASON, DOCUMENT)


def build_command(form: WriteForm, raw: Mapping[str, str], *, opd: str, tahun: int, channel: str) -> Any:
    """The command the form's values say, or FormInvalid naming each field that cannot be read."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field in fields_of(form):
        text = (raw.get(field.name) or "").strip()
        if not text:
            if field.required:
                errors[field.name] = _("required")
            continue
        try:
            values[field.name] = PARSERS[field.kind](text)
        except (ValueError, LedgerError) as error:
            errors[field.name] = str(error)
    if errors:
        raise FormInvalid(errors)
    own = form.build(values)
    source = Source(document=values.get("document"), command=f"{channel}: {_(form.title)}")
    dated = {"effective_on": values["effective_on"]} if form.dated else {}
    try:
        return form.command(opd=opd, tahun=tahun, reason=values["reason"], source=source, **dated, **own)
    except ValidationError as error:
        raise FormInvalid({str(e["loc"][0]) if e["loc"] else "form": e["msg"] for e in error.errors()}) from None


def digest(command: Any) -> str:
    """What a preview showed, to be saved unchanged: the command's content (not its source text)."""
    content = command.model_dump(mode="json", exclude={"source"})
    content["document"] = command.source.document
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]
