"""Generated text (surrogates, NUL, bidi controls, huge values, anything Unicode holds) in every
write verb's text inputs and in the importer's cells, on SQLite and PostgreSQL: each run either
succeeds or exits 1 with one line that starts with ``renja:``, never an internal error, and a
refused run writes nothing (issue 29, item 7)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import _psycopg_conninfo, invoke

FASILITASI, RAPAT = "7.01.01.2.06.08", "7.01.01.2.06.09"
DATED = ("--stage=perubahan", "--effective=2024-10-01")

# Any code point (surrogates included), and the values the hostile tester tried by hand.
BY_HAND = ["", " ", "\x00", "\x1b[31m", "\u202e", "\udcff", "=1+1", "100%", "Rp 100", "1 000", "9" * 5000,
           "x" * 100_000, "-1", "0001-01-01", "½", "NaN", "\r\n", "'; DROP TABLE x; --"]
HOSTILE = st.sampled_from(BY_HAND)
TEXT = st.one_of(HOSTILE, st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
                 st.builds(lambda a, b: a + b, HOSTILE, st.text(max_size=10)))

# Each verb with one generated text in one of its fields; options as --name=value and the
# positionals after "--", so a text that starts with '-' is a value, not an option.
VERBS: dict[str, Callable[[str], list[str]]] = {
    "revise-pagu reason": lambda t: ["revise-pagu", *DATED, f"--reason={t}", "--", FASILITASI, "210.000.000"],
    "revise-pagu amount": lambda t: ["revise-pagu", *DATED, "--reason=SK 1", "--", FASILITASI, t],
    "revise-pagu line": lambda t: ["revise-pagu", *DATED, "--reason=SK 1", "--", t, "1"],
    "reallocate amount": lambda t: ["reallocate", "--effective=2024-10-01", "--reason=SK 1", "--stage=murni",
                                    "--from-tw=1", "--to-tw=2", f"--rupiah={t}", "--", FASILITASI],
    "set-target satuan": lambda t: ["set-target", *DATED, "--reason=SK 1", "--", FASILITASI, "12", t],
    "set-target value": lambda t: ["set-target", *DATED, "--reason=SK 1", "--", FASILITASI, t, "Laporan"],
    "change-indicator text": lambda t: ["change-indicator", *DATED, "--reason=SK 1", "--", FASILITASI, t],
    "shift document": lambda t: ["shift", "--effective=2024-10-01", "--reason=SK 1", f"--document={t}", "--", FASILITASI,
                                 RAPAT, "1.000"],
    "assign name": lambda t: ["assign", "--effective=2024-10-01", "--reason=SK 1", "--", FASILITASI, t],
    "correct target": lambda t: ["correct", "--event=1", "--reason=salah ketik", f"--target={t}", "--", FASILITASI],
    "import cell": lambda t: ["--opd=Kecamatan Mangkutana", "--tahun=2024", "import", "--kind=dppa",
                              "--tanggal=2024-11-01", "--stage=perubahan", "--", "{table}"],
}


def stored_events(url: str) -> int:
    """Rows of the events table, read directly (verify would refold the whole ledger each time)."""
    if "://" not in url:
        with sqlite3.connect(url) as connection:
            return int(connection.execute("SELECT count(*) FROM stored_events").fetchone()[0])
    with psycopg.connect(**_psycopg_conninfo(url)) as connection:
        row = connection.execute("SELECT count(*) FROM renjaledger_events").fetchone()
        return int(row[0]) if row else 0


def cell_table(folder: Path, text: str) -> str:
    """A DPPA table whose name cell is the generated text; the CSV writer quotes it as a spreadsheet would."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "level", "kode", "nama", "pagu"])
    writer.writerow(["1", "sub_kegiatan", FASILITASI, text, "210.000.000"])
    path = folder / "dppa.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    return str(path)


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_generated_text_is_recorded_or_refused_in_one_line(demo_url: str, tmp_path: Path, verb: str) -> None:
    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(text=TEXT)
    def run(text: str) -> None:
        args = [cell_table(tmp_path, text) if arg == "{table}" else arg for arg in VERBS[verb](text)]
        before = stored_events(demo_url)
        result = invoke(demo_url, *args)
        output = result.output
        assert result.exit_code in (0, 1), (text[:80], output[:500])
        assert "internal error" not in output and "Traceback" not in output, (text[:80], output[:500])
        if result.exit_code == 1:
            assert output.startswith("renja: "), (text[:80], output[:500])
            assert stored_events(demo_url) == before, (text[:80], output[:500])

    for value in BY_HAND:  # each by hand, every time; then what hypothesis generates
        run.hypothesis.inner_test(text=value)  # type: ignore[attr-defined]
    run()
