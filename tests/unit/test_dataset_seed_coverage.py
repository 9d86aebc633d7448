"""Every transcribed dataset table is checked against the seed text it was copied from.

For every document folder ``ledger/datasets/*/*/document.toml`` and every ``[[tabel]]``
in it (see docs/dataset-layout.md):

* structure: the header is exactly the layout's column list, ``row`` is 1..n in file
  order, ``level`` is one of the layout's levels, ``nama`` is filled except on
  ``total`` rows, ``source_line`` lies inside the table's ``seed_lines``;
* forward: every non-empty cell of a figure column (``pagu``, ``target*``, ``tw*_*``,
  ``pm_target``/``pm_pagu``, ``nilai``, ``realisasi*``, ``tingkat*``, ``kode``) occurs
  verbatim in the seed text near its row, i.e. inside lines
  ``[source_line - 5, source_line + 80]`` (clipped to ``seed_lines``). Runs of
  whitespace in the cell may match any whitespace in the seed, newlines included.
  ``-`` cells are exempt;
* reverse: every numeric token printed in a table's ``seed_lines`` occurs as a token in
  some cell of a table of the same document whose ``seed_lines`` contain that line,
  unless it is listed in ``NON_FIGURE_TOKENS`` below. This is the check that turns a
  mistyped or forgotten figure into a failing build.

A table whose file does not exist yet is skipped (the reverse check of a range is also
skipped while another table covering that range is missing), so the test becomes
strict by itself as soon as the files land.
"""

from __future__ import annotations

import csv
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "ledger" / "datasets"

# Where the seed texts named by `sumber` live. RENJA_SEEDS_DIR overrides.
SEED_DIRS = [
    Path(p)
    for p in (
        os.environ.get("RENJA_SEEDS_DIR", ""),
        str(REPO / "seeds"),
        str(REPO.parent / "shared" / "seeds"),
        "/work/shared/seeds",
    )
    if p
]

# ---------------------------------------------------------------------------
# Layouts (docs/dataset-layout.md). Keep in sync with the doc.
# ---------------------------------------------------------------------------
LAYOUT_COLUMNS = {
    "budget": [
        "row",
        "source_line",
        "level",
        "kode",
        "nama",
        "nama_baku",
        "lokasi",
        "indikator",
        "indikator_program",
        "indikator_kegiatan",
        "target",
        "target_program",
        "target_kegiatan",
        "target_akhir",
        "pagu",
        "tw1_target",
        "tw1_pagu",
        "tw2_target",
        "tw2_pagu",
        "tw3_target",
        "tw3_pagu",
        "tw4_target",
        "tw4_pagu",
        "sumber_dana",
        "penanggung_jawab",
        "catatan",
        "pm_indikator",
        "pm_target",
        "pm_pagu",
        "note",
    ],
    "realisasi": [
        "row",
        "source_line",
        "level",
        "nama",
        "nama_baku",
        "indikator",
        "target_renstra_2023",
        "realisasi_2023",
        "target_renja",
        "realisasi_tw2",
        "tingkat_realisasi_tw2",
        "target_renja_akhir",
        "realisasi_akhir",
        "tingkat_capaian_renstra",
        "note",
    ],
    "sasaran": [
        "row",
        "source_line",
        "tujuan",
        "indikator_tujuan",
        "sasaran",
        "indikator_sasaran",
        "target",
        "note",
    ],
    "indikator_tahunan": [
        "row",
        "source_line",
        "indikator",
        "jenis",
        "tahun",
        "nilai",
        "note",
    ],
}
LEVELS = {"urusan", "bidang", "program", "kegiatan", "sub_kegiatan", "total"}
INDIKATOR_TAHUNAN_JENIS = {"target", "realisasi", "proyeksi"}

# Figure columns for the forward check. `pm_indikator` is deliberately left out: it is
# an indicator text (re-joined words allowed), not a figure.
FIGURE_COLUMN = re.compile(r"^(?:pagu|target.*|tw\d+_.*|pm_target|pm_pagu|nilai|realisasi.*|tingkat.*|kode)$")
# Window around source_line in which a figure cell must be found.
WINDOW_BEFORE = 5
WINDOW_AFTER = 80
# Tabel 3.2 prints the kode one segment per line, with blank lines in between, *before*
# the name (source_line is where the name starts), so the kode window reaches further up.
KODE_WINDOW_BEFORE = 30

# ---------------------------------------------------------------------------
# Numeric tokens in the seed that are not figures of any table.
# seed file -> [(line or (first_line, last_line), "space separated tokens", reason)]
# A token listed for a line range is ignored on every line of that range.
# Every entry must still match its seed lines (test_allowlist_is_current).
# Do not add figures here: a figure missing from the CSVs is a transcription slip.
# ---------------------------------------------------------------------------
NON_FIGURE_TOKENS: dict[str, list[tuple[int | tuple[int, int], str, str]]] = {
    # Rencana Aksi 2024
    "000_4b2fd509c8dd2901.txt": [
        (2, "1 2 3 4 5 6 7 8 9 10 12", "column-number row of the table header"),
        (107, "11", "column number 11 of the header row, extracted apart from line 2"),
        (123, "2024", "year in the title 'RENCANA AKSI ... TAHUN 2024'"),
        (847, "3 2024", "signing date 'Mangkutana, 3 Januari 2024'"),
        (852, "19840710 201001 1 026", "NIP of the Camat in the signature block"),
    ],
    # Renja Perubahan 2024
    "002_20a04ea9c51c6797.txt": [
        (73, "2.1", "table title 'Tabel 2.1'"),
        (343, "2.2", "table title 'Tabel 2.2'"),
        ((400, 412), "1 2 3 4 5 6 7 8 9 10 11 12 13", "Tabel 2.2 column-number row, one number a line"),
        (464, "2.3", "table title 'Tabel 2.3'"),
        (465, "2024", "year in the title 'Reviu ... RKPD Tahun 2024'"),
        ((486, 497), "1 2 3 4 5 6 7 8 9 10 11 12", "Tabel 2.3 column-number row, one number a line"),
        (1356, "3.1", "table title 'Tabel. 3.1.'"),
        (1357, "2024", "year in the title 'Tujuan dan Sasaran ... Tahun 2024'"),
        ((1366, 1371), "1 2 3 4 5 6", "Tabel 3.1 column numbers '(1)' .. '(6)'"),
    ],
}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
_CHUNK = re.compile(r"[^\s()\[\]{}<>/\\|;:\"'`\u2018\u2019\u201c\u201d\u2013\u2014-]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")


def numeric_tokens(text: str) -> list[str]:
    """Numbers as printed (`2.788.872.800`, `20,670,000`, `100%`, `01`).

    A number glued to letters (`S1`, `Rp.5`) is part of a word and is not a token.
    Trailing `.`/`,` (`4.086.080,`) is punctuation, not part of the number.
    """
    out = []
    for m in _CHUNK.finditer(text):
        chunk = m.group().strip(".,")
        if _NUMBER.fullmatch(chunk):
            out.append(chunk)
    return out


def cell_pattern(value: str) -> re.Pattern[str]:
    """Regex for a cell value in the seed: internal whitespace matches any whitespace,
    and a number must not be cut out of a longer number (`550,000` in `1,550,000`)."""
    parts = value.split()
    body = r"\s+".join(re.escape(p) for p in parts)
    first, last = value.strip()[0], value.strip()[-1]
    left = r"(?<!\w)(?<!\d[.,])" if first.isalnum() else ""
    if last.isdigit():
        right = r"(?!\w)(?![.,]\d)"
    elif last.isalnum():
        right = r"(?!\w)"
    else:
        right = ""
    return re.compile(left + body + right)


def find_seed(name: str) -> Path | None:
    for d in SEED_DIRS:
        p = d / name
        if p.is_file():
            return p
    return None


@dataclass
class Table:
    doc_dir: Path
    sumber: str
    tid: str
    file: str
    layout: str
    lo: int
    hi: int
    siblings: list[Table] = field(default_factory=list, repr=False)

    @property
    def path(self) -> Path:
        return self.doc_dir / self.file

    @property
    def label(self) -> str:
        return f"{self.doc_dir.relative_to(DATASETS)}/{self.file}"

    def covers(self, line: int) -> bool:
        return self.lo <= line <= self.hi


def discover() -> list[Table]:
    tables: list[Table] = []
    for toml_path in sorted(DATASETS.glob("*/*/document.toml")):
        with toml_path.open("rb") as f:
            doc = tomllib.load(f)
        doc_tables = []
        for t in doc.get("tabel", []):
            lo, hi = t["seed_lines"]
            doc_tables.append(Table(toml_path.parent, doc["sumber"], t["id"], t["file"], t["layout"], lo, hi))
        for t in doc_tables:
            t.siblings = doc_tables
        tables.extend(doc_tables)
    return tables


TABLES = discover()
DOC_DIRS = sorted({t.doc_dir for t in TABLES})
_seed_cache: dict[str, list[str]] = {}
_rows_cache: dict[Path, tuple[list[str], list[dict[str, str]]]] = {}


def seed_lines(table: Table) -> list[str]:
    """Seed text as a list of lines; index 0 is line 1."""
    if table.sumber not in _seed_cache:
        p = find_seed(table.sumber)
        if p is None:
            pytest.skip(f"seed {table.sumber} not found in {[str(d) for d in SEED_DIRS]}")
        _seed_cache[table.sumber] = p.read_text(encoding="utf-8").split("\n")
    return _seed_cache[table.sumber]


def read_table(table: Table) -> tuple[list[str], list[dict[str, str]]]:
    if not table.path.exists():
        pytest.skip(f"{table.label} does not exist yet")
    if table.path.suffix.lower() != ".csv":
        pytest.skip(f"{table.label}: only .csv tables are checked by this test")
    if table.path not in _rows_cache:
        with table.path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = list(reader.fieldnames or [])
        _rows_cache[table.path] = (header, rows)
    return _rows_cache[table.path]


def ids(tables):
    return [f"{t.doc_dir.name}/{t.file}" for t in tables]


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------
def test_documents_are_discovered():
    assert TABLES, f"no document.toml under {DATASETS}"
    for t in TABLES:
        assert t.layout in LAYOUT_COLUMNS, f"{t.label}: unknown layout {t.layout!r}"
        assert 1 <= t.lo <= t.hi, f"{t.label}: bad seed_lines {[t.lo, t.hi]}"


@pytest.mark.parametrize("table", TABLES, ids=ids(TABLES))
def test_structure(table: Table):
    header, rows = read_table(table)
    lines = seed_lines(table)
    assert header == LAYOUT_COLUMNS[table.layout], (
        f"{table.label}: header differs from layout {table.layout!r} in docs/dataset-layout.md\n"
        f"  got:      {header}\n  expected: {LAYOUT_COLUMNS[table.layout]}"
    )
    assert table.hi <= len(lines), f"{table.label}: seed_lines beyond the seed ({len(lines)} lines)"
    errors = []
    got_rows = [r["row"] for r in rows]
    if got_rows != [str(i) for i in range(1, len(rows) + 1)]:
        errors.append(f"row column is not 1..{len(rows)} in file order: {got_rows}")
    for r in rows:
        where = f"{table.label} row {r['row']}"
        if any(v is None for v in r.values()) or None in r:
            errors.append(f"{where}: wrong number of cells")
            continue
        sl = r["source_line"].strip()
        if not sl.isdigit() or not table.covers(int(sl)):
            errors.append(f"{where}: source_line {sl!r} not in seed_lines {[table.lo, table.hi]}")
        if "level" in r and r["level"] not in LEVELS:
            errors.append(f"{where}: level {r['level']!r} not in {sorted(LEVELS)}")
        if "nama" in r and r.get("level") != "total" and not r["nama"].strip():
            errors.append(f"{where}: empty nama")
        if table.layout == "sasaran" and not r["sasaran"].strip():
            errors.append(f"{where}: empty sasaran")
        if table.layout == "indikator_tahunan" and r["jenis"] not in INDIKATOR_TAHUNAN_JENIS:
            errors.append(f"{where}: jenis {r['jenis']!r} not in {sorted(INDIKATOR_TAHUNAN_JENIS)}")
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("table", TABLES, ids=ids(TABLES))
def test_figures_are_in_seed_near_their_row(table: Table):
    header, rows = read_table(table)
    lines = seed_lines(table)
    figure_cols = [c for c in header if FIGURE_COLUMN.match(c)]
    errors = []
    for r in rows:
        sl = r["source_line"].strip()
        if not sl.isdigit():
            continue  # reported by test_structure
        src = int(sl)
        for col in figure_cols:
            value = (r.get(col) or "").strip()
            if not value or value == "-":
                continue
            before = KODE_WINDOW_BEFORE if col == "kode" else WINDOW_BEFORE
            lo = max(table.lo, src - before)
            hi = min(table.hi, src + WINDOW_AFTER)
            window = "\n".join(lines[lo - 1 : hi])
            if not cell_pattern(value).search(window):
                anywhere = cell_pattern(value).search("\n".join(lines[table.lo - 1 : table.hi]))
                hint = " (it occurs elsewhere in seed_lines)" if anywhere else " (not in seed_lines at all)"
                errors.append(
                    f"{table.label} row {r['row']} column {col}: {value!r} not found in seed lines {lo}-{hi}{hint}"
                )
    assert not errors, "\n".join(errors)


def _span(lines: int | tuple[int, int]) -> range:
    lo, hi = (lines, lines) if isinstance(lines, int) else lines
    return range(lo, hi + 1)


def _allowlisted(sumber: str) -> set[tuple[int, str]]:
    return {
        (line, tok)
        for lines, toks, _reason in NON_FIGURE_TOKENS.get(sumber, [])
        for line in _span(lines)
        for tok in toks.split()
    }


# One reverse check per distinct seed range of a document (tables transcribed from the
# same lines, e.g. the two sides of Tabel 2.3, share one check and one failure list).
RANGE_TABLES = list({(t.doc_dir, t.lo, t.hi): t for t in reversed(TABLES)}.values())[::-1]


@pytest.mark.parametrize("table", RANGE_TABLES, ids=[f"{t.doc_dir.name}:{t.lo}-{t.hi}" for t in RANGE_TABLES])
def test_every_seed_number_is_transcribed(table: Table):
    lines = seed_lines(table)
    covering = [t for t in table.siblings if t.lo <= table.hi and table.lo <= t.hi]
    missing = [t.label for t in covering if not t.path.exists()]
    if missing:
        pytest.skip(f"tables sharing lines with {table.label} are missing: {missing}")
    tokens_of: dict[str, set[str]] = {}
    for t in covering:
        _header, rows = read_table(t)
        tokens_of[t.label] = {
            tok
            for r in rows
            for col, v in r.items()
            if col not in ("row", "source_line") and v
            for tok in numeric_tokens(v)
        }
    allow = _allowlisted(table.sumber)
    errors = []
    for n in range(table.lo, table.hi + 1):
        here = [t for t in covering if t.covers(n)]
        for tok in numeric_tokens(lines[n - 1]):
            if (n, tok) in allow:
                continue
            if not any(tok in tokens_of[t.label] for t in here):
                errors.append(
                    f"seed {table.sumber} line {n}: {tok!r} is in no cell of "
                    f"{[t.label for t in here]} (line: {lines[n - 1].strip()[:100]!r})"
                )
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("sumber", sorted(NON_FIGURE_TOKENS))
def test_allowlist_is_current(sumber: str):
    """Every allowlisted token still occurs on its line, so the list cannot rot."""
    p = find_seed(sumber)
    if p is None:
        pytest.skip(f"seed {sumber} not found")
    lines = p.read_text(encoding="utf-8").split("\n")
    errors = []
    for lines_, toks, reason in NON_FIGURE_TOKENS[sumber]:
        if not reason.strip():
            errors.append(f"{sumber} lines {lines_}: allowlist entry without a reason")
        present = [t for n in _span(lines_) for t in numeric_tokens(lines[n - 1])]
        for tok in toks.split():
            if tok not in present:
                errors.append(f"{sumber} lines {lines_}: allowlisted {tok!r} not there {present}")
    assert not errors, "\n".join(errors)
