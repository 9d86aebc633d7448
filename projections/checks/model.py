"""A finding: one inconsistency of a plan, as data, with the words to explain it.

``stated``, ``computed`` and ``difference`` are whole Rupiah. For a roll-up, ``stated`` is
the subtotal a document printed and ``computed`` the sum of the rows under it. For two
statements that disagree (a restatement, two OPD totals), ``stated`` is the figure of the
first source named and ``computed`` the figure of the other one. ``difference`` is always
``stated - computed``. Findings about targets and units carry no amounts.

Also here: the words every message uses (``label``, ``where``, ``rp``) and the few ways the
rules read a line's statements (``table_key``, ``target_claims``, ``ordered_lines``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from ledger.basis import Source, Stage
from ledger.i18n import N_, _
from ledger.kode import Level
from ledger.line_events import Role
from ledger.line_state import LineState
from ledger.money import format_rupiah
from ledger.target import Target
from projections.hierarchy import REPORT_LEVELS, build_tree, walk
from projections.timeline import PlanView


class Severity(StrEnum):
    ERROR = "error"  # a stated sum differs from the computed one, or two statements disagree
    WARNING = "warning"  # a doubtful figure or unit that a reader must look at
    INFO = "info"  # worth knowing, not wrong in itself


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    severity: Severity
    kodes: list[str]
    sources: list[str]
    message: str
    stated: int | None = None
    computed: int | None = None
    difference: int | None = None
    # Stable from its content (rule, kodes, figures), not from its words or sources: the same
    # inconsistency found again, in any language and any recording order, is the same finding
    # (its follow-up's key); repeats are numbered in the order the rules find them.
    id: str = ""

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def finding(rule: str, severity: Severity, message: str, *, lines: Iterable[LineState] = (),
            sources: Iterable[Source | None] = (), stated: int | None = None,
            computed: int | None = None) -> Finding:
    """Build a finding: kodes from the lines, sources described, difference derived, and the
    message's first letter in upper case (it often starts with a line's label)."""
    # An account is named with its sub-kegiatan (one kode rekening recurs under many).
    kodes = list(dict.fromkeys(line.reference if line.level is Level.REKENING else line.kode
                               for line in lines if line.kode))
    described = list(dict.fromkeys(source.describe() for source in sources if source is not None))
    difference = stated - computed if stated is not None and computed is not None else None
    # Not its sources: which of several equal statements is named depends on the order documents
    # or syncs were recorded, and the same finding must keep its id (run_checks numbers repeats).
    content = "\x1f".join([rule, *kodes, str(stated), str(computed)])
    return Finding(rule=rule, severity=severity, kodes=kodes, sources=described,
                   message=message[:1].upper() + message[1:],
                   stated=None if stated is None else int(stated),
                   computed=None if computed is None else int(computed), difference=difference,
                   id=hashlib.sha256(content.encode()).hexdigest()[:10])


# The stages of the plan year; the prakiraan maju belongs to the next year.
PLAN_YEAR_STAGES = (Stage.RKPD, Stage.KEBUTUHAN, Stage.MURNI, Stage.PERUBAHAN)


# --- words of the messages ------------------------------------------------------------

_LEVEL_WORDS = {Level.URUSAN: "urusan", Level.BIDANG: "bidang", Level.PROGRAM: "program",
                Level.KEGIATAN: "kegiatan", Level.SUB_KEGIATAN: "sub-kegiatan", Level.REKENING: "rekening"}
ROLE_WORDS = {Role.OWN: "", Role.PROGRAM: " (capaian program)", Role.KEGIATAN: " (hasil kegiatan)",
              Role.KELUARAN: " (keluaran)", Role.YEAR_END: N_(" (year end)")}


def role_word(role: Role) -> str:
    """' (capaian program)': which indicator of a row a target belongs to, nothing for its own."""
    word = ROLE_WORDS[role]
    return _(word) if word else ""  # never _(""): gettext gives the catalog's header for it


def joined(items: Iterable[str]) -> str:
    """'A and B and C' in the user's language."""
    words = list(items)
    text = words[0] if words else ""
    for word in words[1:]:
        text = _("{first} and {second}").format(first=text, second=word)
    return text


def level_word(level: Level, plural: bool = False) -> str:
    if plural and level is Level.PROGRAM:
        return _("programs")
    if plural and level is Level.URUSAN:
        return _("urusans")
    return _LEVEL_WORDS[level]


def label(line: LineState) -> str:
    """'kegiatan 7.01.01.2.05 Administrasi Kepegawaian Perangkat Daerah'; an account is named
    with its sub-kegiatan: 'rekening 7.01.01.2.06.08/5.1.02.01.01.0024 Belanja Alat Tulis Kantor'."""
    if line.level is Level.REKENING:
        return f"{level_word(line.level)} {line.reference} {line.nama}"
    if line.kode:
        return f"{level_word(line.level)} {line.kode} {line.nama}"
    return f"{level_word(line.level)} {line.nama} " + _("(no kode)")


def where(source: Source | None) -> str:
    """'Tabel 3.2 row 27': the table and row a figure was printed in, or the command."""
    if source is None:
        return _("an unknown source")
    if source.command:
        return _("the command {command}").format(command=source.command)
    place = source.table or source.document or _("a document")
    return _("{place} row {row}").format(place=place, row=source.row) if source.row else place


def rp(amount: int) -> str:
    return format_rupiah(amount)


def signed(amount: int) -> str:
    return ("+" if amount > 0 else "") + format_rupiah(amount)


# --- reading a line's statements -------------------------------------------------------

TableKey = tuple[str | None, str | None]


def table_key(source: Source) -> TableKey:
    """The (document, table) a figure was printed in: the unit of every per-table check."""
    return (source.document, source.table)


def from_document(source: Source | None) -> bool:
    """A figure printed in a document's table, as opposed to one a command recorded."""
    return source is not None and source.command is None and source.table is not None


def target_claims(line: LineState, stage: Stage) -> list[tuple[Role, Target, Source | None]]:
    """Every target stated for the line at one stage, with where it was stated.

    A forward estimate keeps its target without a statement: it is given the source of
    the stage's pagu (the same row)."""
    figures = line.figures(stage)
    if figures is None:
        return []
    if figures.target_statements:
        return list(figures.target_statements)
    source = figures.statements[-1].source if figures.statements else None
    return [(role, target, source) for role, target in figures.targets.items()]


def lines_and_rekening(view: PlanView) -> list[LineState]:
    """``ordered_lines``, then the accounts of the rincian belanja by key: for the rules that
    hold for every line that holds money (nothing below zero, shifts that net to zero)."""
    return [*ordered_lines(view), *ordered_rekening(view)]


def ordered_rekening(view: PlanView) -> list[LineState]:
    """The accounts of the rincian belanja in a stable order (by key)."""
    return sorted(view.rekening.values(), key=lambda account: account.key)


def ordered_lines(view: PlanView) -> list[LineState]:
    """The plan's lines in a stable order: urusan and bidang, then program -> kegiatan ->
    sub-kegiatan by kode (lines known only by name after the coded ones)."""
    heads = sorted((line for line in view.lines.values() if line.level not in REPORT_LEVELS),
                   key=lambda line: (line.level.rank, line.kode or line.key))
    return heads + [node.line for node in walk(build_tree(view.lines))]
