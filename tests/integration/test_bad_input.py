"""Bad input, verb by verb, on SQLite and PostgreSQL: each case exits 1 with a one-line message
that names what is wrong (never "internal error"), and leaves the ledger as it was (the same
chain head; on SQLite the same bytes)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from eventsourcing.persistence import StoredEvent
from openpyxl import Workbook

from events_store.chain import GENESIS, event_hash
from tests.conftest import invoke

OPD = "Kecamatan Mangkutana"
HEADER = "row,level,kode,nama,pagu\n"
GOOD_ROW = "1,sub_kegiatan,7.01.01.2.06.08,Fasilitasi Kunjungan Tamu,210.000.000\n"


def table(tmp_path: Path, content: str | bytes, name: str = "dppa.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def formula_workbook(tmp_path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["row", "level", "kode", "nama", "pagu"])
    sheet.append(["1", "sub_kegiatan", "7.01.01.2.06.08", "Fasilitasi Kunjungan Tamu", "=100000000*2"])
    path = tmp_path / "dppa.xlsx"
    workbook.save(path)  # openpyxl saves no computed value: the cell has a formula and nothing else
    return path


def import_args(path: Path, *extra: str) -> list[str]:
    return ["--opd", OPD, "--tahun", "2024", "import", str(path), "--kind", "dppa", "--tanggal", "2024-11-01",
            "--stage", "perubahan", *extra]


Case = Callable[[Path], list[str]]
CASES: dict[str, tuple[Case, str]] = {
    "arabic-indic digits": (lambda d: import_args(table(d, HEADER + "1,sub_kegiatan,7.01.01.2.06.08,F,١٢٣\n")),
                            "invalid Rupiah amount"),
    "full-width digits": (lambda d: import_args(table(d, HEADER + "1,sub_kegiatan,7.01.01.2.06.08,F,１２３\n")),
                          "invalid Rupiah amount"),
    "formula without value": (lambda d: import_args(formula_workbook(d)), "a formula (=100000000*2) with no saved value"),
    "duplicated header": (lambda d: import_args(table(d, "row,level,kode,nama,pagu,pagu\n1,sub_kegiatan,7.01.01.2.06.08,F,1,2\n")),
                          "'pagu': this column appears twice"),
    "nameless column with data": (lambda d: import_args(table(d, "row,level,kode,nama,pagu,\n"
                                                                 "1,sub_kegiatan,7.01.01.2.06.08,F,1,lost\n")),
                                  "holds data but has no name"),
    "header only": (lambda d: import_args(table(d, HEADER)), "no rows after the header"),
    "38-digit pagu": (lambda d: import_args(table(d, HEADER + "1,sub_kegiatan,7.01.01.2.06.08,F," + "1" * 38 + "\n")),
                      "at most 999.999.999.999.999"),
    "5000-digit number": (lambda d: import_args(table(d, HEADER + "1,sub_kegiatan,7.01.01.2.06.08,F," + "9" * 5000 + "\n")),
                          "at most 40 characters"),
    "oversized field": (lambda d: import_args(table(d, HEADER + "1,sub_kegiatan,7.01.01.2.06.08," + "x" * 200_000 + ",1\n")),
                        "not a readable CSV table"),
    "NUL byte": (lambda d: import_args(table(d, (HEADER + "1,sub_kegiatan,7.01.01.2.06.08,F\x00,1\n").encode())),
                 "control character U+0000"),
    "terminal escape in a name": (lambda d: import_args(table(d, HEADER + "1,sub_kegiatan,7.01.01.2.06.08,"
                                                                          "F\x1b[31mmerah,1\n")),
                                  "control character U+001B"),
    "binary table": (lambda d: import_args(table(d, b"\xff\xfe\x00\x01binary")), "not UTF-8"),
    "blank penandatangan": (lambda d: import_args(table(d, HEADER + GOOD_ROW), "--penandatangan", "   "),
                            "'--penandatangan': blank"),
    "blank reason on set-target": (lambda d: ["set-target", "7.01.01.2.06.08", "12", "Orang", "--stage", "perubahan",
                                              "--role", "keluaran", "--ke", "2", "--effective", "2024-10-01",
                                              "--reason", "   "], "reason-required"),
    "blank reason on assign": (lambda d: ["assign", "7.01.01.2.06.08", "MANSYUR", "--effective", "2024-10-01",
                                          "--reason", " "], "reason-required"),
    "arabic-indic digits on revise": (lambda d: ["revise-pagu", "7.01.01.2.06.08", "١٠٠", "--stage", "perubahan",
                                                 "--effective", "2024-10-01", "--reason", "SK"], "invalid Rupiah amount"),
    "binary event file": (lambda d: ["import-events", str(table(d, b"\x89PNG\r\n\x1a\n\x00\x00", "log.jsonl"))],
                          "not a text file"),
}


def events_in(url: str) -> int:
    """Events in a ledger; a SQLite ledger that a refused command never created holds none."""
    if "://" not in url and not Path(url).exists():
        return 0
    return int(invoke(url, "verify", "--head").stdout.split()[0])


def fingerprint(url: str) -> tuple[str, str]:
    head = invoke(url, "verify", "--head").stdout
    data = hashlib.sha256(Path(url).read_bytes()).hexdigest() if "://" not in url else ""
    return head, data


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_clearly_and_changes_nothing(demo_url: str, tmp_path: Path, case: str) -> None:
    build, expected = CASES[case]
    args = build(tmp_path)
    if args[0] == "import-events":
        target = str(tmp_path / "empty.db") if "://" not in demo_url else demo_url
        before = None
    else:
        target, before = demo_url, fingerprint(demo_url)
    result = invoke(target, *args)
    assert result.exit_code == 1, result.output
    assert expected in result.output and "internal error" not in result.output, result.output
    if before is not None:
        assert fingerprint(demo_url) == before


def test_a_header_only_file_does_not_block_the_real_import(demo_url: str, tmp_path: Path) -> None:
    empty = invoke(demo_url, *import_args(table(tmp_path, HEADER)))
    assert empty.exit_code == 1
    real = invoke(demo_url, *import_args(table(tmp_path, HEADER + GOOD_ROW)))
    assert real.exit_code == 0, real.output


def test_a_blank_user_is_refused(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "l.db"), "--user", "  ", "demo")
    assert result.exit_code == 1 and "user-invalid" in result.output
    assert not (tmp_path / "l.db").exists() or invoke(str(tmp_path / "l.db"), "verify", "--head").stdout.startswith("0")


def test_a_file_that_is_not_a_ledger_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "passwd"
    other.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    result = invoke(str(other), "verify")
    assert result.exit_code == 1 and "internal error" not in result.output and "not a" in result.output, result.output


# --- forged event logs -------------------------------------------------------------------------

def forge(source: Path, target: Path, change: Callable[[dict[str, object]], dict[str, object] | None]) -> Path:
    """Rewrite an export: change its events, recompute every hash and the trailer, so that the
    file is self-consistent as a forger would make it."""
    lines = source.read_text(encoding="utf-8").splitlines()
    out, head, count = [lines[0]], GENESIS, 0
    for line in lines[1:-1]:
        record = change(json.loads(line))
        if record is None:
            continue
        stored = StoredEvent(originator_id=__import__("uuid").UUID(str(record["originator_id"])),
                             originator_version=int(str(record["originator_version"])), topic=str(record["topic"]),
                             state=base64.b64decode(str(record["state"])))
        head = event_hash(head, stored)
        record["hash"] = head
        out.append(json.dumps(record))
        count += 1
    out.append(json.dumps({"trailer": True, "count": count, "head": head}))
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return target


def state_of(record: dict[str, object]) -> dict[str, object]:
    return dict(json.loads(base64.b64decode(str(record["state"]))))


def with_state(record: dict[str, object], state: dict[str, object]) -> dict[str, object]:
    return {**record, "state": base64.b64encode(json.dumps(state).encode()).decode()}


def first_of(topic: str) -> Callable[[dict[str, object]], dict[str, object] | None]:
    seen = {"done": False}

    def pick(record: dict[str, object]) -> bool:
        if not seen["done"] and str(record["topic"]).endswith(topic):
            seen["done"] = True
            return True
        return False
    return pick  # type: ignore[return-value]


def negative_pagu(record: dict[str, object]) -> dict[str, object]:
    state = state_of(record)
    return with_state(record, {**state, "rupiah": -5}) if "rupiah" in state else record


def number_target(record: dict[str, object]) -> dict[str, object]:
    """A target's value written as a JSON number: valid for the model, not the ledger's own form."""
    state = state_of(record)
    target = dict(state["target"])  # type: ignore[call-overload]
    return with_state(record, {**state, "target": {**target, "nilai": float(target["nilai"])}})


FORGERIES: dict[str, tuple[Callable[[], Callable[[dict[str, object]], dict[str, object] | None]], str]] = {
    "a negative pagu": (lambda: (lambda pick: (lambda r: negative_pagu(r) if pick(r) else r))(first_of(":PaguSet")),
                        "which the ledger's rules forbid"),
    "an invalid body": (lambda: (lambda pick: (lambda r: with_state(r, {"x": 1}) if pick(r) else r))(first_of(":PaguSet")),
                        "not a valid PaguSet"),
    "a topic outside the ledger": (lambda: (lambda pick: (lambda r: {**r, "topic": "os:system"} if pick(r) else r))(
        first_of(":PaguSet")), "'os:system' is not an event of this ledger"),
    "a figure not in the ledger's form": (lambda: (lambda pick: (lambda r: number_target(r) if pick(r) else r))(
        first_of(":TargetSet")), "target.nilai is not written as this ledger writes it"),
    "a whole number beyond 64 bits": (lambda: (lambda pick: (lambda r: with_state(r, {**state_of(r), "ke": 2**64})
                                                             if pick(r) else r))(first_of(":TargetSet")),
                                      "ke is not written as this ledger writes it"),
    "a missing event": (lambda: (lambda pick: (lambda r: None if pick(r) else r))(first_of(":PaguSet")),
                        "where the aggregate's next version is"),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forged_event_log_is_refused_and_nothing_written(demo_url: str, db_url: str, tmp_path: Path,
                                                           forgery: str) -> None:
    export = tmp_path / "log.jsonl"
    assert invoke(demo_url, "export-events", str(export)).exit_code == 0
    make, expected = FORGERIES[forgery]
    forged = forge(export, tmp_path / "forged.jsonl", make())
    result = invoke(db_url, "import-events", str(forged))
    assert result.exit_code == 1 and expected in result.output and "internal error" not in result.output, result.output
    assert events_in(db_url) == 0


def test_an_export_written_before_a_field_existed_is_loaded_and_folded_alike(demo_url: str, db_url: str,
                                                                             tmp_path: Path) -> None:
    """Bodies without a field added later (here ``basis.channel`` and ``source.kind``) take its
    default; the read model folds them (by fold_line, as the fast fold leaves them) to the
    same plan, and verify agrees."""
    export = tmp_path / "log.jsonl"
    assert invoke(demo_url, "export-events", str(export)).exit_code == 0

    def older(record: dict[str, object]) -> dict[str, object]:
        state = state_of(record)
        basis = dict(state.get("basis") or {})  # type: ignore[call-overload]
        if not basis:
            return record
        basis.pop("channel", None)
        basis["source"] = {k: v for k, v in basis["source"].items() if k != "kind" or v is not None}
        return with_state(record, {**state, "basis": basis})
    loaded = invoke(db_url, "import-events", str(forge(export, tmp_path / "older.jsonl", older)))
    assert loaded.exit_code == 0, loaded.output
    assert invoke(db_url, "projections", "rebuild").exit_code == 0
    assert invoke(db_url, "verify").exit_code == 0
    wanted = json.loads(invoke(demo_url, "report", "perubahan", "--format", "json").stdout)
    found = json.loads(invoke(db_url, "report", "perubahan", "--format", "json").stdout)
    assert found["rows"] == wanted["rows"] and found["total"] == wanted["total"] and wanted["rows"]


def test_a_changed_amount_is_caught_against_the_head_of_its_ledger(demo_url: str, db_url: str, tmp_path: Path) -> None:
    count, head = invoke(demo_url, "verify", "--head").stdout.split()
    export = tmp_path / "log.jsonl"
    assert invoke(demo_url, "export-events", str(export)).exit_code == 0
    pick = first_of(":PaguSet")
    forged = forge(export, tmp_path / "forged.jsonl",
                   lambda r: with_state(r, {**state_of(r), "rupiah": 1}) if pick(r) else r)
    refused = invoke(db_url, "import-events", str(forged), "--expect", f"{count}:{head}")
    assert refused.exit_code == 1 and "the file was rewritten" in refused.output, refused.output
    assert events_in(db_url) == 0
    assert invoke(db_url, "import-events", str(export), "--expect", f"{count}:{head}").exit_code == 0


# --- issue 26: every bad field, a located broken quote, no file left behind --------------------

def test_every_bad_field_of_a_row_is_listed_not_the_first_only(demo_url: str, tmp_path: Path) -> None:
    before = fingerprint(demo_url)
    # A row whose line cannot be read (its kode) still has its figures read: both fields named.
    kode_and_pagu = invoke(demo_url, *import_args(table(tmp_path, HEADER + "1,sub_kegiatan,7.01.x,Fasilitasi,dua juta\n")))
    assert kode_and_pagu.exit_code == 1, kode_and_pagu.output
    assert "dppa.csv, row 1, field 'kode'" in kode_and_pagu.output, kode_and_pagu.output
    assert "dppa.csv, row 1, field 'pagu'" in kode_and_pagu.output, kode_and_pagu.output
    # Two bad figures of a row whose line is known: both named, beside another row's.
    two_figures = table(tmp_path, "row,level,kode,nama,pagu,pm_pagu\n"
                                  "1,sub_kegiatan,7.01.01.2.06.08,Fasilitasi Kunjungan Tamu,dua juta,tiga\n"
                                  "2,sub_kegiatan,7.01.01.2.06.09,Rapat Koordinasi,1.000,empat\n", "dua.csv")
    refused = invoke(demo_url, *import_args(two_figures))
    assert refused.exit_code == 1 and "3 errors; nothing was imported" in refused.output, refused.output
    for where in ("row 1, field 'pagu'", "row 1, field 'pm_pagu'", "row 2, field 'pm_pagu'"):
        assert f"dua.csv, {where}" in refused.output, refused.output
    assert fingerprint(demo_url) == before


def test_an_unclosed_quote_names_the_file_line_and_column_where_its_field_starts(demo_url: str, tmp_path: Path) -> None:
    before = fingerprint(demo_url)
    broken = HEADER + GOOD_ROW + '2,sub_kegiatan,7.01.01.2.06.09,"Rapat Koordinasi,1.000\n3,program,7.01.01,P,\n'
    refused = invoke(demo_url, *import_args(table(tmp_path, broken)))
    assert refused.exit_code == 1, refused.output
    assert ("dppa.csv, line 3: the quoted field that starts at column 32 (field 4, 'nama') is never closed"
            in " ".join(refused.output.split())), refused.output
    closed_early = HEADER + '1,sub_kegiatan,7.01.01.2.06.08,"Fasilitasi" Kunjungan,1\n'
    early = invoke(demo_url, *import_args(table(tmp_path, closed_early, "awal.csv")))
    assert "awal.csv, line 2: the quoted field that starts at column 32 (field 4, 'nama') is closed, then " \
           "followed by ' '" in " ".join(early.output.split()), early.output
    assert fingerprint(demo_url) == before


def test_a_refused_first_import_or_a_preview_leaves_no_ledger_file(tmp_path: Path) -> None:
    ledger = tmp_path / "baru" / "renja.db"
    ledger.parent.mkdir()
    bad = table(tmp_path, HEADER + "1,sub_kegiatan,7.01.01.2.06.08,Fasilitasi Kunjungan Tamu,dua juta\n")
    refused = invoke(str(ledger), *import_args(bad))
    assert refused.exit_code == 1 and "field 'pagu'" in refused.output, refused.output
    assert list(ledger.parent.iterdir()) == []  # no ledger, no -wal or -shm
    good = table(tmp_path, "row,level,kode,nama,pagu\n1,program,7.01.01,Program Penunjang,1.000\n", "baik.csv")
    previewed = invoke(str(ledger), *import_args(good, "--preview"))
    assert previewed.exit_code == 0 and "PREVIEW, nothing written" in previewed.output, previewed.output
    assert list(ledger.parent.iterdir()) == []
    assert invoke(str(ledger), *import_args(good)).exit_code == 0 and ledger.exists()
