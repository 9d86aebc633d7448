"""The write commands a person types, defined once: the CLI's verbs (cli/write_commands.py) and the
web's forms (web/writes.py) are both generated from this table.

Each entry names its command, its verb and form, and its fields: a field has a kind (which says
how its text is read: ``PARSERS``), its words for the form and for ``--help``, and how it is typed
on the command line. The words are message ids (``N_``), translated where they are shown.
Adding a write command: its model (commands.py), its handler and permission (handlers.py), one
entry here, and what the CLI says after recording it (``SAYS`` in cli/write_commands.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ledger.application.commands import (
    AssignPenanggungJawab,
    ChangeIndicator,
    Command,
    CorrectEvent,
    DatedCommand,
    Reallocate,
    RevisePagu,
    SetTarget,
    ShiftPagu,
)
from ledger.basis import Source, Stage
from ledger.i18n import N_, _
from ledger.line_events import Role
from ledger.money import Rupiah
from ledger.numbers import parse_decimal
from ledger.pergeseran import Authority
from ledger.target import Satuan, Target, parse_satuan

# --- reading a typed value, one parser per kind --------------------------------------------------

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


# A value's kind decides how its text is read, in the CLI and on the web alike. "decimal" is a
# target value; "quantity" is any number (its errors say "number", as the reallocate verb always
# said); "target" is a value with its satuan in one text ("660 Orang"). Kinds absent here (flag)
# are never typed as text.
PARSERS: dict[str, Callable[[str], Any]] = {
    "text": _text, "line": _text, "date": _date, "rupiah": Rupiah.parse, "number": _whole, "triwulan": _whole,
    "decimal": lambda value: parse_decimal(value, kind="target value"), "quantity": parse_decimal,
    "satuan": parse_satuan, "target": Target.parse,
    "stage": _choice(Stage), "role": _choice(Role), "authority": _choice(Authority),
}


# --- the table's shape ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Cli:
    """How a field is typed on the command line: a positional argument (no flags) or an option."""

    flags: tuple[str, ...] = ()
    param: str | None = None  # the parameter's name where it is not the field's (an argument's shown name)
    minimum: int | None = None

    @property
    def argument(self) -> bool:
        return not self.flags


def argument(param: str | None = None) -> Cli:
    return Cli(param=param)


def option(*flags: str, param: str | None = None, minimum: int | None = None) -> Cli:
    return Cli(flags=flags, param=param, minimum=minimum)


@dataclass(frozen=True)
class Field:
    name: str  # the command's field, or a value the entry's ``derive`` turns into one (nilai, satuan)
    kind: str  # a key of PARSERS, or "flag"
    label: str = ""  # on the web form (N_)
    help: str = ""  # in --help (N_; the CLI translates it)
    hint: str = ""  # under the web form's field (N_)
    required: bool = True
    default: Any = None  # the value when the field is not given (required=False)
    cli: Cli | None = field(default_factory=Cli)  # None: not on the command line
    web: bool = True  # False: not on the web form

    def cli_param(self) -> str:
        return (self.cli.param if self.cli else None) or self.name


@dataclass(frozen=True)
class WriteCommand:
    command: type[Command]
    verb: str  # the CLI verb
    slug: str  # the web form's address
    title: str  # the web form's title (N_)
    help: str  # the verb's --help (N_)
    fields: tuple[Field, ...]  # the command's own fields, in the CLI's order
    # The command's fields that are not given as typed (set-target's target from nilai and satuan).
    derive: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    reason: Field | None = None  # None: the common REASON

    @property
    def dated(self) -> bool:
        return issubclass(self.command, DatedCommand)

    def build(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The command's own fields from the parsed values (a value not given keeps the model's default)."""
        given = {f.name: values[f.name] for f in self.fields
                 if f.name in self.command.model_fields and values.get(f.name) is not None}
        return {**given, **(self.derive(values) if self.derive else {})}


# --- the fields every write command shares, and the common own ones -----------------------------

EFFECTIVE = Field("effective_on", "date", N_("Effective date"), N_("Date the decision took force."),
                  hint=N_("the date the decision takes force"), cli=option("--effective", param="effective"))
REASON = Field("reason", "text", N_("Reason"), N_("Why: the legal basis or decision, in words."),
               hint=N_("the decision and why, e.g. SK Bupati 12/2024"), cli=option("--reason"))
DOCUMENT = Field("document", "text", N_("Document"), N_("Reference of the document that decided it (nomor / judul)."),
                 hint=N_("the decision's document, if any"), required=False, cli=option("--document"))
OUTSIDE_YEARS = Field("outside_plan_years", "flag", help=N_(
    "Accept an effective date outside the plan's years (the year before to the year after); say why in --reason."),
    required=False, default=False, cli=option("--outside-plan-years"), web=False)
# The web previews with its own button, before every save.
PREVIEW = Field("preview", "flag", help=N_(
    "Show what would change (lines per stage, plan totals, new findings) and write nothing."),
    required=False, default=False, cli=option("--preview"), web=False)

LINE = Field("line", "line", N_("Line"), N_("Kode (7.01.01.2.06.08 or '7 01 01 2.06 08') or exact name of the line."),
             hint=N_("kode or exact name"), cli=argument("kode"))
STAGE = Field("stage", "stage", N_("Stage"), "Budget stage: " + ", ".join(s.value for s in Stage) + ".", cli=option("--stage"))
ROLE = Field("role", "role", N_("Indicator"), "Which indicator: " + ", ".join(r.value for r in Role) + ".",
             required=False, default=Role.OWN, cli=option("--role"))
KE = Field("ke", "number", N_("Number (ke)"), N_(
    "Which indicator of that role, in the order printed (1 = the first; the next number adds one)."),
    required=False, default=1, cli=option("--ke", minimum=1))


def _target(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"target": Target(nilai=values["nilai"], satuan=values.get("satuan") or Satuan.TANPA)}


WRITE_COMMANDS: tuple[WriteCommand, ...] = (
    WriteCommand(RevisePagu, "revise-pagu", "revisi-pagu", N_("Revise a pagu"),
                 N_("Revise the pagu of a line at one stage (PaguRevised)."),
                 (LINE, Field("rupiah", "rupiah", N_("New pagu (Rp)"),
                              N_("The new pagu in whole Rupiah (200.710.000 or 200710000)."), cli=argument()),
                  STAGE)),
    WriteCommand(Reallocate, "reallocate", "realokasi", N_("Reallocate between triwulan"),
                 N_("Move Rp (and target) from one triwulan to another within a line (TriwulanReallocated)."),
                 (LINE,
                  Field("from_tw", "triwulan", N_("From triwulan"), N_("Triwulan that gives (1-4)."), cli=option("--from-tw")),
                  Field("to_tw", "triwulan", N_("To triwulan"), N_("Triwulan that receives (1-4)."), cli=option("--to-tw")),
                  Field("rupiah", "rupiah", N_("Amount (Rp)"), N_("Amount moved, whole Rupiah."), cli=option("--rupiah")),
                  Field("target", "quantity", N_("Target moved with it"), N_("Target quantity moved with it."),
                        required=False, cli=option("--target")),
                  replace(STAGE, help=N_("Stage whose triwulan allocation changes."), required=False, default=Stage.MURNI))),
    WriteCommand(SetTarget, "set-target", "target", N_("Set or change a target"),
                 N_("Set or change the target of a line at one stage (TargetSet / TargetChanged)."),
                 (LINE, Field("nilai", "decimal", N_("Target value"), N_("Target value, e.g. 660 or 51,48."),
                              cli=argument()),
                  Field("satuan", "satuan", N_("Satuan as printed"),
                        N_("Unit as printed, e.g. Orang, Dok, %, Perda, M2; '' when the document prints none."),
                        required=False, default=Satuan.TANPA, cli=argument()),
                  STAGE, ROLE, KE),
                 derive=_target),
    WriteCommand(ChangeIndicator, "change-indicator", "indikator", N_("Change an indicator's wording"), N_(
        "Replace the wording of a line's indicator at one stage (IndicatorChanged), with a reason; the next\n"
        "--ke adds an indicator."),
                 (LINE, Field("text", "text", N_("Indicator as worded"), N_("The indicator as the decision words it."),
                              cli=argument()),
                  STAGE, ROLE, KE)),
    WriteCommand(ShiftPagu, "shift", "pergeseran", N_("Pergeseran between two lines"), N_(
        "A pergeseran: move Rp from one line to another, both sides in one transaction.\n\n"
        "Between two sub-kegiatan (KODE), or between two accounts (SUB-KEGIATAN/KODE-REKENING, e.g.\n"
        "7.01.01.2.06.08/5.1.02.01.01.0024) with --dasar: a shift inside an objek needs the PPKD's\n"
        "approval, between objek of one jenis the Sekretaris Daerah's, between jenis or sub-kegiatan\n"
        "a change of the Perda APBD."),
                 (Field("from_line", "line", N_("From line"), N_("Line that gives."),
                        hint=N_("a sub-kegiatan, or an account: sub-kegiatan/kode rekening"), cli=argument("from_kode")),
                  Field("to_line", "line", N_("To line"), N_("Line that receives."), cli=argument("to_kode")),
                  Field("rupiah", "rupiah", N_("Amount (Rp)"), N_("Amount shifted, whole Rupiah."), cli=argument()),
                  replace(STAGE, help=N_("Stage whose pagu is shifted."), required=False, default=Stage.PERUBAHAN),
                  Field("authority", "authority", N_("Decision (between accounts)"), N_(
                      "Between accounts: the decision that allows it (ppkd, sekda, perkada, perda); its level decides "
                      "which is needed."),
                        hint=N_("inside an objek: PPKD; between objek of one jenis: Sekretaris Daerah; between jenis or "
                                "sub-kegiatan: Perda APBD"), required=False, cli=option("--dasar")),
                  Field("decision", "text", N_("Decision number"),
                        N_("Between accounts: the decision's number, e.g. 'Persetujuan PPKD 900/123/2024'."),
                        required=False, cli=option("--nomor-dasar")))),
    WriteCommand(AssignPenanggungJawab, "assign", "penanggung-jawab", N_("Assign the penanggung jawab"),
                 N_("Assign (or replace) the penanggung jawab of a line."),
                 (LINE, Field("name", "text", N_("Penanggung jawab"), N_("The penanggung jawab, e.g. 'MANSYUR, S.Sos'."),
                              cli=argument())),
                 reason=replace(REASON, help=N_("Why (e.g. the SK that assigns)."), required=False,
                                default="penanggung jawab ditetapkan")),
    WriteCommand(CorrectEvent, "correct", "koreksi", N_("Correct an event"),
                 N_("Correct the figure an earlier event stated; the earlier event stays, marked corrected."),
                 (LINE, Field("version", "number", N_("Event version (see the line's history)"),
                              N_("Version of the line's event to correct (see `renja history`)."), cli=option("--event")),
                  Field("rupiah", "rupiah", N_("The right pagu (Rp)"), N_("The right pagu."), required=False,
                        cli=option("--rupiah")),
                  Field("target", "target", N_("The right target"), N_("The right target, e.g. '660 Orang'."),
                        hint=N_("a value and its satuan, e.g. 660 Orang"), required=False, cli=option("--target")))),
)


# --- each interface's list of fields -------------------------------------------------------------

def verb_fields(entry: WriteCommand) -> tuple[Field, ...]:
    """The verb's parameters, in the order its --help lists them (and always listed them): the
    arguments and the required options, then --effective, --reason and --outside-plan-years
    (required ones first), then the optional options, then --document and --preview. A positional
    argument is always typed, required or not: a shell cannot skip one ('' gives none)."""
    def typed(f: Field) -> bool:
        return f.required or (f.cli is not None and f.cli.argument)
    decision = [f for f in (*((EFFECTIVE, OUTSIDE_YEARS) if entry.dated else ()), entry.reason or REASON) if f.cli]
    return (*(f for f in entry.fields if f.cli and typed(f)), *sorted(decision, key=lambda f: not f.required),
            *(f for f in entry.fields if f.cli and not typed(f)), DOCUMENT, PREVIEW)


# The fields that say what is changed (which line, stage, indicator or event) before those that
# say the new value: the form asks them first.
_WHERE = ("line", "stage", "role", "number")


def form_fields(entry: WriteCommand) -> tuple[Field, ...]:
    """The web form's fields, in the order the form shows them."""
    own = sorted((f for f in entry.fields if f.web), key=lambda f: f.kind not in _WHERE)
    common = (EFFECTIVE,) if entry.dated else ()
    return tuple(f for f in (*own, *common, entry.reason or REASON, DOCUMENT) if f.web)


def command_of(entry: WriteCommand, values: Mapping[str, Any], *, opd: str, tahun: int, source: Source) -> Any:
    """The command the parsed values say (the CLI and the web each name the plan and the source)."""
    dated = {"effective_on": values["effective_on"], "outside_plan_years": bool(values.get("outside_plan_years"))} \
        if entry.dated else {}
    return entry.command(opd=opd, tahun=tahun, reason=values["reason"], source=source, **dated, **entry.build(values))
