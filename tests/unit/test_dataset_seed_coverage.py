"""Every transcribed dataset table is checked against the seed text it was copied from.

For every document folder ``ledger/datasets/*/*/document.toml`` and every ``[[tabel]]``
in it (see docs/dataset-layout.md):

* structure: the header is exactly the layout's column list, ``row`` is 1..n in file
  order, ``level`` is one of the layout's levels, ``nama`` is filled except on
  ``total`` rows, ``source_line`` lies inside the table's ``seed_lines``;
* forward: every non-empty cell of a figure column (``pagu``, ``target*``, ``tw*_*``,
  ``pm_target``/``pm_pagu``, ``nilai``, ``realisasi*``, ``tingkat*``, ``kode``) occurs
  verbatim on its own row's seed lines: from ``source_line`` (less a per-table lead for
  cells printed above the name, ``CELL_LEAD``) to the line before the next row in seed
  order. Runs of whitespace in the cell may match any whitespace in the seed, newlines
  included; a number is never matched inside a longer number, nor a kode inside a longer
  kode. ``-`` cells are exempt; single cells may be excepted in ``FIGURE_WINDOW_EXCEPTIONS``.
  This catches a mistyped figure and a figure copied from a neighbouring row;
* reverse, counted: the numeric tokens printed on a region's seed lines (a region is the
  tables of a document whose ``seed_lines`` overlap, e.g. the two sides of Tabel 2.3) and
  the numeric tokens of the region's figure and printed-text cells (never ``note``) are
  compared as multisets. A token printed more often than stored means a forgotten or
  mistyped figure, even for small tokens such as ``100%`` or ``3``, unless the surplus
  occurrences are listed in ``NON_FIGURE_TOKENS`` (headings, row numbers, debris); a
  token stored more often than printed means a figure put into a cell that the seed
  leaves empty.

A table whose file does not exist yet is skipped (the reverse check of a region is also
skipped while another table of that region is missing), so the test becomes strict by
itself as soon as the files land.
"""

from __future__ import annotations

import csv
import os
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ledger.application.importing.layouts import LAYOUTS

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "ledger" / "datasets"

# Where the seed texts named by `sumber` live: beside the dataset, in the repository.
# RENJA_SEEDS_DIR overrides.
SEED_DIRS = [
    Path(p)
    for p in (
        os.environ.get("RENJA_SEEDS_DIR", ""),
        *(str(folder) for folder in sorted(DATASETS.glob("*/sources"))),
    )
    if p
]

# ---------------------------------------------------------------------------
# Layouts (docs/dataset-layout.md). Keep in sync with the doc.
# ---------------------------------------------------------------------------
LAYOUT_COLUMNS = {name: list(layout.columns) for name, layout in LAYOUTS.items()}  # the importer's own table
LEVELS = {"urusan", "bidang", "program", "kegiatan", "sub_kegiatan", "total"}
INDIKATOR_TAHUNAN_JENIS = {"target", "realisasi", "proyeksi"}

# ---------------------------------------------------------------------------
# Forward check: where a figure cell must be printed.
# ---------------------------------------------------------------------------
# Figure columns. `pm_indikator` is deliberately left out: it is an indicator text
# (re-joined words allowed), not a figure.
FIGURE_COLUMN = re.compile(r"^(?:pagu.*|target.*|tw\d+_.*|pm_target|pm_pagu|nilai|realisasi.*|tingkat.*|kode)$")

# Every figure cell must be printed on its row's own lines: from the row's source_line to
# the line before the next row's source_line in seed order, the last row running to the
# end of seed_lines. Rows are sorted by source_line first (Tabel 3.2 rows 27-32 are stored
# in kode order, not in printed order), and the rows of every table of the same region
# count (the sasaran rows of the Rencana Aksi, printed between its program rows, end the
# row above them as well).
#
# Some cells are printed *above* the row's name. For those columns the row's lines are
# shifted up by a lead, counted in non-blank lines (the extraction puts blank lines
# between the segments of a kode) and never reaching above the previous row's
# source_line: the cell lies between the lead-th non-blank line above its row's
# source_line and the line before the next row's cell starts, so the lines led by the
# next row are not this row's.
# table key ("document folder/file") -> {column: lead in non-blank lines, or SEGMENTS}
SEGMENTS = "segments"  # the lead is the number of space-separated segments of the row's cell
CELL_LEAD: dict[str, dict[str, int | str]] = {
    "rencana_aksi_2024/rencana_aksi.csv": {
        # col-4 target: on the name line or on up to two lines above it (`9.237` / `Org`
        # at lines 625-626, name at 628; `1.500` / `Surat` at 718-719, name at 721)
        "target": 2,
    },
    "renja_perubahan_2024/tabel_3_2.csv": {
        # kode: one segment a line right above the name (`7` `01` `01` `2.01` `01` at
        # lines 1547-1576, name at 1577; `7` `01` at 1513-1514, name at 1518)
        "kode": SEGMENTS,
    },
}

# Individual figure cells allowed outside their row's lines.
# (table key, row, column) -> ((first_line, last_line), reason). The cell must occur there
# (checked by test_figure_exceptions_are_current).
FIGURE_WINDOW_EXCEPTIONS: dict[tuple[str, int, str], tuple[tuple[int, int], str]] = {}

# ---------------------------------------------------------------------------
# Reverse check: which cells count as transcribing a number of the seed.
# ---------------------------------------------------------------------------
# The figure columns above plus the printed text columns in which numbers occur inside the
# text (`... Mendukung 100 % Pemberdayaan ...` in an indicator; `tahun` holds the Tabel 2.2
# heading years). Never `note`: a figure mentioned only in a transcription note is not
# transcribed. Nor `nama_baku`, which is not printed where the row is.
TEXT_TOKEN_COLUMNS = {
    "nama",
    "lokasi",
    "indikator",
    "indikator_program",
    "indikator_kegiatan",
    "indikator_keluaran",
    "indikator_sebelum",
    "indikator_program_sebelum",
    "indikator_kegiatan_sebelum",
    "indikator_keluaran_sebelum",
    "pm_indikator",
    "sumber_dana",
    "penanggung_jawab",
    "catatan",
    "tujuan",
    "indikator_tujuan",
    "sasaran",
    "indikator_sasaran",
    "tahun",
}


# ---------------------------------------------------------------------------
# Numeric tokens printed in a table region that no dataset cell transcribes.
# seed file -> [(line or (first_line, last_line), "space separated tokens", reason)]
# Each listed token excuses ONE occurrence of that token on the given line(s); list a token
# twice to excuse two. Every entry must still match its seed lines (test_allowlist_is_current).
# Do not add figures here: a figure missing from the CSVs is a transcription slip. Debris
# that the transcribers recorded in a row's `note` must be listed here too: a note is not a
# transcription of the figure columns.
# ---------------------------------------------------------------------------
NON_FIGURE_TOKENS: dict[str, list[tuple[int | tuple[int, int], str, str]]] = {
    # Rencana Aksi 2024
    "000_4b2fd509c8dd2901.txt": [
        # -- headings, titles, signature block
        (2, "1 2 3 4 5 6 7 8 9 10 12", "column-number row of the table header"),
        (107, "11", "column number 11 of the header row, extracted apart from line 2"),
        (123, "2024", "year in the title 'RENCANA AKSI ... TAHUN 2024'"),
        (847, "3 2024", "signing date 'Mangkutana, 3 Januari 2024'"),
        (852, "19840710 201001 1 026", "NIP of the Camat in the signature block"),
        # -- row numbers (column No.)
        (5, "1", "No. 1 of sasaran 1 ('1 80'; the 80 is its target, in sasaran.csv)"),
        (356, "2", "No. 2 of sasaran 2 ('2 100%'; the 100% is its target, in sasaran.csv)"),
    ],
    # Renja Perubahan 2024
    "002_20a04ea9c51c6797.txt": [
        # -- Tabel 2.1: title and the years in the column headings
        (73, "2.1", "table title 'Tabel 2.1'"),
        (74, "2024", "year in the title '... RENSTRA PERANGKAT DAERAH s/d TAHUN 2024 ...'"),
        (82, "2023", "column heading 'Target Kinerja Capaian Program (Renstra ...) Tahun (%)' / '2023'"),
        (83, "2023", "column heading 'Realisasi Target Kinerja ... s/d Dengan Tahun 2023 (%)'"),
        (85, "2024", "column heading 'Target Program dan kegiatan (Renja Perangkat Daerah Tahun 2024 (%)'"),
        (86, "2024", "column heading 'Perkiraan Realisasi Capaian Target Renstra ... s/d Akhir Tahun 2024'"),
        (92, "2024", "column heading 'Target Renja Perangkat Daerah Tahun 2024 (%)'"),
        # -- Tabel 2.2: title, sub-headings, column numbers, row number
        # (its heading years, lines 376-383, are transcribed in the `tahun` column)
        (343, "2.2", "table title 'Tabel 2.2'"),
        (390, "2", "sub-heading '(thn n-2)' of the Target Renstra years"),
        (391, "1", "sub-heading '(thn n-1)' of the Target Renstra years"),
        (394, "2", "sub-heading '(thn n-2)' of the Realisasi/Proyeksi years"),
        (395, "1", "sub-heading '(thn n-1)' of the Realisasi/Proyeksi years"),
        ((400, 412), "1 2 3 4 5 6 7 8 9 10 11 12 13", "Tabel 2.2 column-number row, one number a line"),
        (414, "1", "row number (NO) of the only indicator row, Indeks Kepuasan Masyarakat"),
        # -- Tabel 2.3: title, column numbers
        (464, "2.3", "table title 'Tabel 2.3'"),
        (465, "2024", "year in the title 'Reviu ... RKPD Tahun 2024'"),
        ((486, 497), "1 2 3 4 5 6 7 8 9 10 11 12", "Tabel 2.3 column-number row, one number a line"),
        # -- Tabel 3.1: title, column numbers, row number
        (1356, "3.1", "table title 'Tabel. 3.1.'"),
        (1357, "2024", "year in the title 'Tujuan dan Sasaran ... Tahun 2024'"),
        ((1366, 1371), "1 2 3 4 5 6", "Tabel 3.1 column numbers '(1)' .. '(6)'"),
        (1373, "1", "row number (NO) of the first tujuan/sasaran row"),
        # -- Tabel 3.2: title and the column headings repeated on every page
        (1460, "3.2", "table title 'TABEL 3.2'"),
        (1461, "2024", "year in the title '... KECAMATAN MANGKUTANA TAHUN 2024'"),
        (1462, "2025", "year in the title 'DAN PRAKIRAAN MAJU TAHUN 2025'"),
        (1468, "2024", "column heading 'Rencana Tahun 2024' (first page)"),
        (1471, "2024", "column heading 'Prakiraan Maju Rencana Tahun 2024' (first page)"),
        (1856, "2023", "repeated page header: column heading 'Rencana Tahun 2023'"),
        (1859, "2024", "repeated page header: column heading 'Prakiraan Maju Rencana Tahun 2024'"),
        (2135, "2023", "repeated page header: column heading 'Rencana Tahun 2023'"),
        (2138, "2024", "repeated page header: column heading 'Prakiraan Maju Rencana Tahun 2024'"),
        (2327, "2023", "repeated page header: column heading 'Rencana Tahun 2023'"),
        (2330, "2024", "repeated page header: column heading 'Prakiraan Maju Rencana Tahun 2024'"),
        (2973, "2023", "repeated page header: column heading 'Rencana Tahun 2023'"),
        (2979, "2024", "repeated page header: column heading 'Prakiraan Maju Rencana Tahun 2024'"),
        (3295, "2023", "repeated page header: column heading 'Rencana Tahun 2023'"),
        (3298, "2024", "repeated page header: column heading 'Prakiraan Maju Rencana Tahun 2024'"),
        # -- Tabel 3.2: extraction debris, recorded in the row's note and not transcribed
        (1727, "100", "stray '100' under the pagu 2.004.352.226 of kegiatan Administrasi Keuangan (row 9 note)"),
        (1901, "879", "stray ',879' under the pagu 32.660.550 of kegiatan Administrasi Kepegawaian (row 14 note)"),
        (2676, "0", "stray '0 Unit' stacked on the target '14 Unit' of Pemeliharaan Peralatan dan Mesin (row 36 note)"),
    ],
    # RKPA 2022, Sekretariat DPRD Lampung Timur (first page of an SIPD print)
    "source_excerpt.txt": [
        (1, "11", "Scribd viewer 'Anda di halaman 1dari 11'"),
        (3, "22 09 22 00", "SIPD print stamp '22/09/22 00.' (used as tanggal, with tanggal_dasar saying so)"),
        (5, "36", "the minutes of the print stamp, '36', extracted onto the next line"),
        (14, "2022", "year in the heading 'Tahun Anggaran 2022'"),
        ((25, 26), "4.02.0.00.0.00.01.0000 4.02.0.00.0.00.01.0000", "organisasi and unit codes, no column"),
        (27, "2021 0", "'Alokasi Tahun 2021 : Rp. 0', the previous year's allocation: no column for it"),
        (28, "2022 1.882.880.000", "'Alokasi Tahun 2022' repeats the sesudah 'Dana yang dibutuhkan' (line 43, stored)"),
        (29, "2023", "the year of 'Alokasi Tahun 2023 : Rp. 0' (its 0 is stored as pm_pagu)"),
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


def cell_pattern(value: str, kode: bool = False) -> re.Pattern[str]:
    """Regex for a cell value in the seed: internal whitespace matches any whitespace,
    and a number must not be cut out of a longer number (`550,000` in `1,550,000`).
    A kode must not be the start of a longer kode (`7 01 01 2.01` of `7 01 01 2.01 01`)."""
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
    if kode:
        right += r"(?!\s+\d)"
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
    # the tables of the same document whose seed_lines overlap this one's (itself included)
    region: list[Table] = field(default_factory=list, repr=False, compare=False)

    @property
    def path(self) -> Path:
        return self.doc_dir / self.file

    @property
    def label(self) -> str:
        return f"{self.doc_dir.relative_to(DATASETS)}/{self.file}"

    @property
    def key(self) -> str:
        """`document folder/file`, the key of CELL_LEAD and FIGURE_WINDOW_EXCEPTIONS."""
        return f"{self.doc_dir.name}/{self.file}"

    @property
    def is_csv(self) -> bool:
        return self.path.exists() and self.path.suffix.lower() == ".csv"

    def overlaps(self, other: Table) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi


def overlapping(table: Table, candidates: list[Table]) -> list[Table]:
    """`table` and every candidate linked to it by a chain of overlapping seed_lines, in seed order."""
    group = [table]
    grown = True
    while grown:
        more = [c for c in candidates if all(c is not g for g in group) and any(c.overlaps(g) for g in group)]
        group += more
        grown = bool(more)
    return sorted(group, key=lambda t: (t.lo, t.file))


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
            t.region = overlapping(t, doc_tables)
        tables.extend(doc_tables)
    return tables


TABLES = discover()
# one entry per region, e.g. the two sides of Tabel 2.3 form one region
REGIONS = list({tuple(id(t) for t in table.region): table.region for table in TABLES}.values())
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
    return [t.key for t in tables]


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
    # The columns a table uses, in the layout's order, with every required one; the
    # transcription keeps the columns its form prints (a before/after form adds *_sebelum).
    known = LAYOUT_COLUMNS[table.layout]
    assert header == [c for c in known if c in header] and set(LAYOUTS[table.layout].required) <= set(header), (
        f"{table.label}: header is not a subset of layout {table.layout!r} (docs/dataset-layout.md) in its order\n"
        f"  got:      {header}\n  layout:   {known}"
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
        if not sl.isdigit() or not table.lo <= int(sl) <= table.hi:
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


# ---------------------------------------------------------------------------
# Forward check: every figure cell is printed on its own row's lines
# ---------------------------------------------------------------------------
def match_lines(pattern: re.Pattern[str], lines: list[str], lo: int, hi: int) -> list[int]:
    """Seed lines in [lo, hi] on which a match of `pattern` (possibly spanning lines) starts."""
    text = "\n".join(lines[lo - 1 : hi])
    return [lo + text.count("\n", 0, m.start()) for m in pattern.finditer(text)]


def lines_above(lines: list[str], line: int, lead: int, floor: int) -> int:
    """The line `lead` non-blank lines above `line` (never above `floor`); `line` itself if lead is 0."""
    n = line
    while lead > 0 and n > floor:
        n -= 1
        if lines[n - 1].strip():
            lead -= 1
    return n


def placed_rows(table: Table) -> list[dict[str, str]]:
    """Rows with a valid source_line (a bad one is reported by test_structure)."""
    _header, rows = read_table(table)
    return [r for r in rows if r["source_line"].strip().isdigit()]


def cell_lead(table: Table, column: str, row: dict[str, str]) -> int:
    lead = CELL_LEAD.get(table.key, {}).get(column, 0)
    return len((row.get(column) or "").split()) if lead == SEGMENTS else int(lead)


def cell_windows(table: Table, lines: list[str], column: str) -> dict[str, tuple[int, int]]:
    """row -> first and last seed line on which its `column` cell may be printed.

    Rows of all tables of the region are taken in seed order (an interleaved table, like the
    sasaran rows inside the Rencana Aksi, ends the row above it too). A cell starts at its
    row's source_line, or `lead` non-blank lines above it but never above the previous row's
    source_line, and ends on the line before the next row's cell starts.
    """
    entries = sorted(
        ((int(r["source_line"]), t, r) for t in table.region if t.is_csv for r in placed_rows(t)),
        key=lambda e: e[0],
    )
    row_lines = sorted({line for line, _t, _r in entries})
    previous = dict(zip(row_lines, [table.lo - 1, *row_lines[:-1]], strict=False))
    following = dict(zip(row_lines, [*row_lines[1:], None], strict=False))

    def start(line: int, t: Table, r: dict[str, str]) -> int:
        return lines_above(lines, line, cell_lead(t, column, r), max(previous[line] + 1, t.lo))

    first_start: dict[int, int] = {}
    for line, t, r in entries:
        first_start[line] = min(first_start.get(line, line), start(line, t, r))
    windows = {}
    for line, t, r in entries:
        if t is table:
            nxt = following[line]
            windows[r["row"]] = (start(line, t, r), table.hi if nxt is None else min(table.hi, first_start[nxt] - 1))
    return windows


def figure_cells(header: list[str], row: dict[str, str]):
    """(column, value) of every figure cell of `row` that must be found in the seed (`-` is exempt)."""
    for col in header:
        value = (row.get(col) or "").strip()
        if FIGURE_COLUMN.match(col) and value and value != "-":
            yield col, value


@pytest.mark.parametrize("table", TABLES, ids=ids(TABLES))
def test_figures_are_on_their_rows_lines(table: Table):
    header, _rows = read_table(table)
    lines = seed_lines(table)
    windows = {col: cell_windows(table, lines, col) for col in header if FIGURE_COLUMN.match(col)}
    errors = []
    for row in placed_rows(table):
        for col, value in figure_cells(header, row):
            exception = FIGURE_WINDOW_EXCEPTIONS.get((table.key, int(row["row"]), col))
            lo, hi = exception[0] if exception else windows[col][row["row"]]
            pattern = cell_pattern(value, kode=col == "kode")
            if match_lines(pattern, lines, lo, hi):
                continue
            printed = match_lines(pattern, lines, table.lo, table.hi)
            hint = f"it is printed on lines {printed[:10]}" if printed else "it is not in seed_lines at all"
            errors.append(f"{table.label} row {row['row']} column {col}: {value!r} not on its lines {lo}-{hi}; {hint}")
    assert not errors, "\n".join(errors)


def test_figure_exceptions_are_current():
    """Every window exception names an existing cell that is printed on the lines given."""
    errors = []
    for (key, row_no, col), ((lo, hi), reason) in FIGURE_WINDOW_EXCEPTIONS.items():
        where = f"FIGURE_WINDOW_EXCEPTIONS[{key!r}, {row_no}, {col!r}]"
        table = next((t for t in TABLES if t.key == key and t.is_csv), None)
        value = next((r.get(col) or "" for r in read_table(table)[1] if r["row"] == str(row_no)), "") if table else ""
        if not reason.strip():
            errors.append(f"{where}: no reason given")
        if not value.strip():
            errors.append(f"{where}: no such table, row or column, or the cell is empty")
        elif not match_lines(cell_pattern(value.strip(), kode=col == "kode"), seed_lines(table), lo, hi):
            errors.append(f"{where}: {value!r} is not printed on lines {lo}-{hi}")
    assert not errors, "\n".join(errors)


# ---------------------------------------------------------------------------
# Reverse check: every number printed in a region is transcribed, exactly as often as printed
# ---------------------------------------------------------------------------
def region_id(region: list[Table]) -> str:
    return f"{region[0].doc_dir.name}:{min(t.lo for t in region)}-{max(t.hi for t in region)}"


def _span(lines: int | tuple[int, int]) -> range:
    lo, hi = (lines, lines) if isinstance(lines, int) else lines
    return range(lo, hi + 1)


def dataset_tokens(region: list[Table]) -> Counter[str]:
    """Numeric tokens of the figure and printed-text cells of the region's tables, with multiplicity."""
    counts: Counter[str] = Counter()
    for t in region:
        header, rows = read_table(t)
        columns = [c for c in header if FIGURE_COLUMN.match(c) or c in TEXT_TOKEN_COLUMNS]
        for r in rows:
            for c in columns:
                counts.update(numeric_tokens(r[c] or ""))
    return counts


def seed_tokens(region: list[Table], lines: list[str]) -> dict[str, list[int]]:
    """token -> the lines of the region it is printed on (a line once per occurrence), less one
    occurrence for every time the token is listed in NON_FIGURE_TOKENS for lines of the region."""
    found: dict[str, list[int]] = {}
    for n in sorted({n for t in region for n in range(t.lo, t.hi + 1)}):
        for tok in numeric_tokens(lines[n - 1]):
            found.setdefault(tok, []).append(n)
    for span, toks, _reason in NON_FIGURE_TOKENS.get(region[0].sumber, []):
        for tok in toks.split():
            hit = next((n for n in found.get(tok, []) if n in _span(span)), None)
            if hit is not None:
                found[tok].remove(hit)
    return found


def region_token_counts(region: list[Table]) -> tuple[dict[str, list[int]], Counter[str]]:
    missing = [t.label for t in region if not t.path.exists()]
    if missing:
        pytest.skip(f"tables of this region are missing: {missing}")
    return seed_tokens(region, seed_lines(region[0])), dataset_tokens(region)


@pytest.mark.parametrize("region", REGIONS, ids=[region_id(g) for g in REGIONS])
def test_every_seed_number_is_transcribed(region: list[Table]):
    printed, stored = region_token_counts(region)
    errors = [
        f"seed {region[0].sumber}: {tok!r} is printed {len(where)} times, on lines {where}, "
        f"but stored in {stored[tok]} cells of {[t.file for t in region]}"
        for tok, where in sorted(printed.items())
        if len(where) > stored[tok]
    ]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("region", REGIONS, ids=[region_id(g) for g in REGIONS])
def test_no_seed_number_is_stored_more_often_than_printed(region: list[Table]):
    """The converse count: a number put into an extra cell (say a triwulan target that the
    seed does not print) raises the stored count above the printed count."""
    printed, stored = region_token_counts(region)
    errors = [
        f"{[t.file for t in region]}: {tok!r} is stored in {count} cells but printed "
        f"{len(printed.get(tok, []))} times in seed {region[0].sumber}, on lines {printed.get(tok, [])}"
        for tok, count in sorted(stored.items())
        if count > len(printed.get(tok, []))
    ]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("sumber", sorted(NON_FIGURE_TOKENS))
def test_allowlist_is_current(sumber: str):
    """Every allowlisted token is still printed on its lines, as often as listed, so the list cannot rot."""
    p = find_seed(sumber)
    if p is None:
        pytest.skip(f"seed {sumber} not found")
    lines = p.read_text(encoding="utf-8").split("\n")
    errors = []
    for span, toks, reason in NON_FIGURE_TOKENS[sumber]:
        if not reason.strip():
            errors.append(f"{sumber} lines {span}: allowlist entry without a reason")
        present = Counter(t for n in _span(span) for t in numeric_tokens(lines[n - 1]))
        extra = Counter(toks.split()) - present
        if extra:
            errors.append(f"{sumber} lines {span}: allowlisted {sorted(extra.elements())} not there {dict(present)}")
    assert not errors, "\n".join(errors)
