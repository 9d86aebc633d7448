"""The one table of write commands: every plan write has its entry, every field reaches its
command, and the CLI's verbs and the web's forms generated from it list the same fields."""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import typer.main

from cli.app import RECORDING_VERBS, app
from cli.write_commands import SAYS, VERBS
from ledger.application.commands import (
    AnswerFinding,
    CancelProposal,
    CloseFinding,
    Command,
    CorrectEvent,
    DecideProposal,
    ProposeChange,
    RecordFollowUp,
    ReopenFinding,
    ReturnProposal,
    SetTarget,
    SyncSipd,
    VerifyProposal,
)
from ledger.application.handlers import COMMAND_HANDLERS
from ledger.application.write_table import (
    PARSERS,
    WRITE_COMMANDS,
    Field,
    WriteCommand,
    command_of,
    form_fields,
    verb_fields,
)
from ledger.basis import Source, Stage
from ledger.target import Satuan, Target
from web.writes import WRITE_FORMS, FormInvalid, build_command, fields_of

ROOT = Path(__file__).resolve().parents[2]
# Plan writes with a verb and a form of their own (a sync reads a source, not typed fields).
# Commands with verbs of their own (a sync; a proposal's steps, which wrap or follow a write; a finding's follow-up).
OWN_VERBS = {SyncSipd, ProposeChange, VerifyProposal, ReturnProposal, CancelProposal, DecideProposal, AnswerFinding,
             RecordFollowUp, CloseFinding, ReopenFinding}
# A text of each kind as a person types it.
TYPED = {"line": "7.01.01.2.06.08", "text": "SK Bupati 12/2024", "rupiah": "1.500.000", "decimal": "51,48",
         "quantity": "12", "satuan": "Orang", "target": "660 Orang", "stage": "murni", "role": "own",
         "authority": "ppkd", "triwulan": "2", "number": "1", "date": "2024-03-01"}
ENTRIES = pytest.mark.parametrize("entry", WRITE_COMMANDS, ids=lambda entry: entry.verb)


def typer_command(verb: str) -> Any:
    return typer.main.get_command(app).commands[verb]  # type: ignore[attr-defined]


def parsed(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {f.name: PARSERS[f.kind](TYPED[f.kind]) for f in fields if f.kind in PARSERS}


def test_every_plan_write_has_exactly_one_entry() -> None:
    plan_writes = {command for command in COMMAND_HANDLERS if issubclass(command, Command)} - OWN_VERBS
    counted = Counter(entry.command for entry in WRITE_COMMANDS)
    assert set(counted) == plan_writes
    assert all(count == 1 for count in counted.values()), counted
    for name in ("verb", "slug"):
        names = [getattr(entry, name) for entry in WRITE_COMMANDS]
        assert len(set(names)) == len(names), names


def test_every_write_verb_may_create_a_new_ledger_and_says_what_it_recorded() -> None:
    assert set(VERBS) == {entry.verb for entry in WRITE_COMMANDS}
    assert set(VERBS) <= RECORDING_VERBS
    assert set(SAYS) == {entry.command for entry in WRITE_COMMANDS}


@ENTRIES
def test_every_field_is_the_commands_or_consumed_by_its_derive(entry: WriteCommand) -> None:
    values = parsed(entry.fields)
    built = entry.build(values)
    assert set(built) <= set(entry.command.model_fields)
    for field in entry.fields:
        if field.name in entry.command.model_fields:
            assert built[field.name] == values[field.name], field.name
            continue
        assert entry.derive is not None, f"{field.name} is neither {entry.command.__name__}'s nor derived"
        without = {name: value for name, value in values.items() if name != field.name}
        try:
            consumed = entry.derive(without) != entry.derive(values)
        except KeyError:
            consumed = True
        assert consumed, f"{entry.verb}: {field.name} is not consumed by derive"
    common = parsed(form_fields(entry))
    command = command_of(entry, {**common, **values}, opd="Kecamatan X", tahun=2024, source=Source(command="test"))
    assert isinstance(command, entry.command)


@ENTRIES
def test_the_verb_and_the_form_list_the_same_fields(entry: WriteCommand) -> None:
    by_param = {field.cli_param(): field for field in verb_fields(entry)}
    params = list(typer_command(entry.verb).params)
    fields = [by_param[param.name] for param in params]
    form = [field.name for field in fields_of(WRITE_FORMS[entry.slug])]
    assert sorted(field.name for field in fields if field.web) == sorted(form)
    only_cli = {"preview", "outside_plan_years"} if entry.dated else {"preview"}
    assert {field.name for field in fields if not field.web} == only_cli
    for param, field in zip(params, fields, strict=True):
        assert param.help == field.help, field.name
        assert list(param.opts) == (list(field.cli.flags) if field.cli and field.cli.flags else [param.name])


# The command line as users and scripts type it: the arguments in their order, and the options.
INTERFACE = {
    "revise-pagu": (["kode", "rupiah"], {"--stage", "--effective", "--reason", "--outside-plan-years", "--document",
                                         "--preview"}),
    "reallocate": (["kode"], {"--from-tw", "--to-tw", "--rupiah", "--target", "--stage", "--effective", "--reason",
                              "--outside-plan-years", "--document", "--preview"}),
    "set-target": (["kode", "nilai", "satuan"], {"--stage", "--role", "--ke", "--effective", "--reason",
                                                 "--outside-plan-years", "--document", "--preview"}),
    "change-indicator": (["kode", "text"], {"--stage", "--role", "--ke", "--effective", "--reason", "--outside-plan-years",
                                            "--document", "--preview"}),
    "shift": (["from_kode", "to_kode", "rupiah"], {"--stage", "--dasar", "--nomor-dasar", "--effective", "--reason",
                                                   "--outside-plan-years", "--document", "--preview"}),
    "assign": (["kode", "name"], {"--effective", "--reason", "--outside-plan-years", "--document", "--preview"}),
    "correct": (["kode"], {"--event", "--rupiah", "--target", "--reason", "--document", "--preview"}),
}


@pytest.mark.parametrize("verb", INTERFACE)
def test_the_command_line_keeps_its_shape(verb: str) -> None:
    params = typer_command(verb).params
    arguments, options = INTERFACE[verb]
    assert [p.name for p in params if not p.opts[0].startswith("-")] == arguments
    assert {p.opts[0] for p in params if p.opts[0].startswith("-")} == options


def test_the_table_is_the_application_layers() -> None:
    tree = ast.parse((ROOT / "ledger" / "application" / "write_table.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"ledger", "pydantic", *sys.stdlib_module_names}, imported


def test_every_form_kind_has_a_parser() -> None:
    assert {field.kind for entry in WRITE_COMMANDS for field in form_fields(entry)} <= set(PARSERS)


def test_the_web_reads_a_form_as_the_cli_reads_its_verb() -> None:
    plan = {"opd": "Kecamatan X", "tahun": 2024, "channel": "web (test)"}
    dated = {"effective_on": "2024-03-01", "reason": "SK 1"}
    target = build_command(WRITE_FORMS["target"], {"line": "7.01.01.2.06.08", "stage": "murni", "nilai": "12", **dated},
                           **plan)
    assert isinstance(target, SetTarget) and target.target == Target(nilai=12, satuan=Satuan.TANPA) and target.ke == 1
    corrected = build_command(WRITE_FORMS["koreksi"], {"line": "7.01.01.2.06.08", "version": "3", "target": "660 Org",
                                                       "reason": "salah ketik"}, **plan)
    assert isinstance(corrected, CorrectEvent) and corrected.target == Target(nilai=660, satuan="Orang")
    realokasi = WRITE_FORMS["realokasi"]
    moved = build_command(realokasi, {"line": "x", "from_tw": "1", "to_tw": "2", "rupiah": "5", **dated}, **plan)
    assert moved.stage is Stage.MURNI  # the verb's default, also on the form
    with pytest.raises(FormInvalid) as invalid:
        build_command(realokasi, {"line": "x", "from_tw": "1", "to_tw": "2", "rupiah": "12,5,0", **dated}, **plan)
    assert "Rupiah" in invalid.value.errors["rupiah"]
