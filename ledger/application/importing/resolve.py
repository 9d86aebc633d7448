"""Which line each row of a document belongs to.

Rules, in order:
1. A row that prints a kode is that kode's line.
2. A row without a kode is matched by name (``nama_baku`` if given, else ``nama``, compared
   after normalization) to a row of the same document that prints a kode, then to the
   lines the plan already holds. A name that matches two lines is an error.
3. A row that matches nothing opens a new line keyed by its name; no kode is invented.
4. A line opened by name receives its kode when a later document prints one for it.
Parents: a coded line's parent is its kode's parent; an uncoded row's parent is the
nearest row above it in its table with a higher level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ledger.application.importing.rows import Row
from ledger.application.unit_of_work import UnitOfWork
from ledger.basis import Basis
from ledger.errors import ImportFailed, InvalidValue, rejected
from ledger.events import name_key
from ledger.i18n import _
from ledger.kode import Kode, Level, kode_identity
from ledger.kodefikasi import Kodefikasi
from ledger.matching import named
from ledger.plan import Plan
from ledger.rekening import KodeRekening

BUDGET_LEVELS = {level.value: level for level in Level if level is not Level.REKENING}  # accounts: the rincian layout


@dataclass
class RowLine:
    table: str
    row: Row
    level: Level
    kode: Kode | None
    nama: str
    match: str  # normalized name used for matching
    key: str = ""
    parent_key: str | None = None
    is_new: bool = False
    record_kode: bool = False


def other_codes(text: str, level: Level, kodefikasi: Kodefikasi) -> str:
    """When a kode the document's kodefikasi refuses is a code of the row's level in another one
    (1.08.01.01 in a 2024 document): which field says so, else nothing."""
    return read_elsewhere(text, kodefikasi, Kode.parse, level)


def read_elsewhere(text: str, kodefikasi: Kodefikasi, read: Callable[[str, Kodefikasi], Kode | KodeRekening],
                   level: Level | None = None) -> str:
    """When another kodefikasi reads a code this one refuses (with ``level``: as a code of that
    level), the hint naming the field that makes the document read so; else nothing."""
    for other in Kodefikasi:
        if other is kodefikasi:
            continue
        try:
            kode = read(text, other)
        except InvalidValue:
            continue
        if level is None or kode.level is level:
            return kodefikasi_hint(other, kode.level.value)
    return ""


def kodefikasi_hint(other: Kodefikasi, level: str) -> str:
    """The field that makes a document read in the codes of ``other``, where its code has this level."""
    return " " + _("(in {title} it is a code of level {level}: if the document prints the codes of {title}, "
                   "set kodefikasi = \"{value}\" in its document.toml, or --kodefikasi {value} for a single "
                   "table)").format(level=level, title=other.rules.title, value=other.value)


def parse_row_kode(row: Row, level: Level, kodefikasi: Kodefikasi) -> Kode | None:
    text = row.get("kode")
    if not text:
        return None
    try:
        kode = Kode.parse(text, kodefikasi)
    except InvalidValue as error:
        raise row.fail("kode", str(error) + other_codes(text, level, kodefikasi)) from None
    if kode.level is not level:
        raise row.fail("kode", f"{kode} is a {kode.level.value} code but the row's level is {level.value}"
                       + other_codes(text, level, kodefikasi))
    return kode


def row_level(row: Row, kodefikasi: Kodefikasi) -> Level:
    level_text = row.get("level")
    if level_text not in BUDGET_LEVELS:
        raise row.fail("level", f"{level_text!r}; expected one of {', '.join(BUDGET_LEVELS)} or total")
    level = BUDGET_LEVELS[level_text]
    rules = kodefikasi.rules
    if level not in rules.levels:  # 13/2006: no bidang, no sub-kegiatan
        raise row.fail("level", _("{level}: the codes of {title} have no such level (they have {levels})").format(
            level=level.value, title=rules.title, levels=", ".join(each.value for each in rules.levels)))
    return level


def row_line(table: str, row: Row, kodefikasi: Kodefikasi) -> RowLine | None:
    """The line a budget row names, its kode read in the document's kodefikasi. A bad level,
    name or kode is refused with every one of them that is bad (``rejected``), not the first only."""
    if row.get("level") == "total":
        return None
    problems: list[ImportFailed] = []
    level: Level | None = None
    kode: Kode | None = None
    try:
        level = row_level(row, kodefikasi)
    except ImportFailed as error:
        problems.append(error)
    nama = row.get("nama")
    if not nama:
        problems.append(row.fail("nama", "empty; every program, kegiatan and sub-kegiatan row needs its name"))
    if level is not None:  # a kode is read as a code of the row's level
        try:
            kode = parse_row_kode(row, level, kodefikasi)
        except ImportFailed as error:
            problems.append(error)
    if problems or level is None:
        raise rejected(problems)
    return RowLine(table, row, level, kode, nama, name_key(row.get("nama_baku") or nama))


def _unique(candidates: list[str], line: RowLine, what: str) -> str | None:
    distinct = sorted(set(candidates))
    if len(distinct) > 1:
        raise line.row.fail("nama", f"the name matches {len(distinct)} {what}: {', '.join(distinct)}; "
                                    "give nama_baku (or the kode) to say which")
    return distinct[0] if distinct else None


def check_same_kode(plan: Plan, line: RowLine, kode: Kode, candidates: list[str] | None = None) -> None:
    """A row may not give a line the plan already holds (same name, level and parent) another
    kode: that would change what an earlier document stated. Both sources are named.
    ``candidates``: the keys the row's name matches, when the caller has them indexed."""
    refs = named(line.match, plan.lines.values()) if candidates is None else \
        [plan.lines[key] for key in candidates if key in plan.lines]
    for ref in refs:
        if ref.kode is None or ref.level is not line.level or kode_identity(ref.kode) == str(kode):
            continue
        if str(Kode.read(ref.kode, ref.level).parent) == str(kode.parent):
            earlier = plan.kode_sources.get(kode_identity(ref.kode))
            raise line.row.fail("kode", f"{kode} for {line.nama!r}, but the plan holds that {line.level.value} as "
                                        f"{ref.kode} ({earlier.describe() if earlier else 'an earlier statement'}); "
                                        "one line keeps one kode: correct the row, or give nama_baku if it is "
                                        "another line")


def resolve_lines(plan: Plan, lines: list[RowLine]) -> None:
    """Fill key/parent/is_new/record_kode of every row line; opens nothing.

    Names are looked up in an index (normalized name or key -> keys), built once and kept up
    to date, so that a document of many rows resolves in linear time."""
    kode_by_name: dict[str, list[str]] = {}
    printed: dict[str, Kode] = {}  # a kode's identity -> the kode as a row of this document printed it
    for line in lines:
        if line.kode is not None:
            kode_by_name.setdefault(line.match, []).append(str(line.kode))
            printed.setdefault(str(line.kode), line.kode)
    key_by_kode = dict(plan.by_kode)
    coded_keys = set(key_by_kode.values())
    names: dict[str, set[str]] = {}  # a name_key or a key -> the keys of the lines it names
    for ref in plan.lines.values():
        names.setdefault(ref.key, set()).add(ref.key)
        names.setdefault(name_key(ref.nama), set()).add(ref.key)
    new_keys: set[str] = set()

    def by_name(match: str) -> list[str]:
        return sorted(names.get(match, ()))

    for line in sorted(lines, key=lambda row_line: row_line.level.rank):
        kode = line.kode
        if kode is None:
            named_kode = _unique(kode_by_name.get(line.match, []), line, "coded rows of this document")
            kode = printed[named_kode] if named_kode else None
            line.kode = kode
        if kode is not None and str(kode) in key_by_kode:
            line.key = key_by_kode[str(kode)]
        elif kode is not None:
            check_same_kode(plan, line, kode, by_name(line.match))
            existing = _unique([k for k in by_name(line.match) if k not in coded_keys], line, "lines")
            line.key = existing or str(kode)
            line.record_kode = existing is not None
            line.is_new = existing is None and line.key not in new_keys
            key_by_kode[str(kode)] = line.key
            coded_keys.add(line.key)
        else:
            existing = _unique(by_name(line.match), line, "lines")
            line.key = existing or line.match
            line.is_new = existing is None and line.key not in new_keys
        if line.is_new:
            new_keys.add(line.key)
            names.setdefault(line.key, set()).add(line.key)
            names.setdefault(line.match, set()).add(line.key)


def open_row_lines(uow: UnitOfWork, plan: Plan, lines: list[RowLine],
                   basis_of: Callable[[RowLine, bool], Basis]) -> None:
    """Open the new lines (parents first), give a line known by name the kode a row prints, and
    state every name printed. ``basis_of(line, printed)``: the basis of the row, with the kode as
    printed when ``printed``."""
    for line in sorted(lines, key=lambda row_line: row_line.level.rank):
        basis = basis_of(line, True)
        if line.is_new:
            uow.open_line(plan, key=line.key, kode=line.kode.shown if line.kode else None, level=line.level,
                          nama=line.nama, parent_key=line.parent_key, basis=basis)
            continue
        budget_line = uow.line(plan, line.key)
        if line.record_kode and line.kode is not None and budget_line.state.kode is None:
            uow.record_kode(plan, budget_line, line.kode, basis)
        budget_line.state_name(line.nama, basis_of(line, False))


def assign_parents(table_lines: list[RowLine], key_by_kode: dict[str, str]) -> None:
    """Each line's parent; every line whose parent is missing is refused (``rejected``), not the first only."""
    stack: list[RowLine] = []
    orphans: list[ImportFailed] = []
    for line in table_lines:
        while stack and stack[-1].level.rank >= line.level.rank:
            stack.pop()
        if line.kode is not None and line.kode.parent is not None and str(line.kode.parent) in key_by_kode:
            line.parent_key = key_by_kode[str(line.kode.parent)]
        elif line.kode is not None and line.kode.level.rank > Level.PROGRAM.rank:
            # A kegiatan needs its program; a program may come without its urusan/bidang rows,
            # which carry no money of their own (many forms start at the program).
            orphans.append(ImportFailed(line.row.file, line.row.row, "kode", f"{line.kode}: its parent "
                                        f"{line.kode.parent} is neither in this document nor in the plan"))
        else:
            line.parent_key = stack[-1].key if stack else None
        stack.append(line)
    if orphans:
        raise rejected(orphans)
