"""Indonesian by default, English on request, through gettext catalogs compiled by Babel."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.i18n import _, language_from, set_language, translations

ROOT = Path(__file__).resolve().parents[2]
RENJA = Path(sys.executable).with_name("renja")


def load_messages_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_of_the_code_has_an_indonesian_translation() -> None:
    from babel.messages.pofile import read_po

    with (ROOT / "ledger" / "locale" / "id" / "LC_MESSAGES" / "renja.po").open("rb") as handle:
        catalog = read_po(handle, locale="id")
    missing = sorted(m for m in load_messages_script().code_messages()
                     if not ((entry := catalog.get(m)) is not None and entry.string))
    assert not missing, f"add to ledger/locale/id/LC_MESSAGES/renja.po (make messages): {missing[:5]}"
    assert translations("id").gettext("Alias of history.") == "Nama lain dari history."


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "id"), ({"LANG": "C.UTF-8"}, "id"), ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "id_ID.UTF-8"}, "id"),
    ({"RENJA_LANG": "en", "LANG": "id_ID.UTF-8"}, "en"), ({"LC_ALL": "en_GB.UTF-8", "LANG": "id_ID"}, "en"),
])
def test_the_language_comes_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert language_from(environ) == expected


def test_switching_language_translates_messages() -> None:
    try:
        set_language("id")
        assert _("wrote {path}") == "ditulis: {path}"
        set_language("en")
        assert _("wrote {path}") == "wrote {path}"
    finally:
        set_language("en")
    with pytest.raises(ValueError):
        set_language("fr")


def renja(*args: str, cwd: Path, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RENJA_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    if lang:
        env["RENJA_LANG"] = lang
    return subprocess.run([str(RENJA), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_an_error_in_indonesian_by_default_and_in_english_on_request(tmp_path: Path) -> None:
    indonesian = renja("report", "renja", cwd=tmp_path)
    assert indonesian.returncode == 1 and "tidak ada ledger di renja.db" in indonesian.stderr
    english = renja("--lang", "en", "report", "renja", cwd=tmp_path)
    assert english.returncode == 1 and "no ledger at renja.db" in english.stderr
    assert "Merevisi pagu" in renja("--help", cwd=tmp_path).stdout
    assert "Revise the pagu" in renja("--help", cwd=tmp_path, lang="en").stdout


def test_a_finding_in_both_languages(tmp_path: Path) -> None:
    db = str(tmp_path / "renja.db")
    assert renja("--db", db, "demo", "--fresh", cwd=tmp_path).returncode == 0
    indonesian = renja("--db", db, "check", "--format", "csv", cwd=tmp_path).stdout
    assert "menyatakan program 7.01.01" in indonesian and "di bawahnya" in indonesian
    assert "selisih +8.880.000" in indonesian and "galat" in indonesian
    english = renja("--db", db, "--lang", "en", "check", "--format", "csv", cwd=tmp_path).stdout
    assert "states program 7.01.01" in english and "a difference of +8.880.000" in english


def usage_error(*args: str) -> str:
    """What `renja` prints for a usage error, through the command `renja` builds (its words installed)."""
    from typer.testing import CliRunner

    from cli.app import renja_command

    with CliRunner().isolation() as (out, err, _mixed):
        with pytest.raises(SystemExit) as exit_:
            renja_command().main(args=list(args), prog_name="renja")
        sys.stdout.flush()
        sys.stderr.flush()
        assert exit_.value.code == 2
        return " ".join((out.getvalue() + err.getvalue()).decode().replace("│", " ").split())  # the panel's lines joined


@pytest.mark.parametrize(("args", "english", "indonesian"), [
    (("diff", "--to", "2024-08-01"), "Missing option '--from'.", "Opsi '--from' wajib diberikan."),
    (("history",), "Missing argument 'kode'.", "Argumen 'kode' wajib diberikan."),
    (("report", "renja", "--bogus"), "No such option: --bogus", "Tidak ada opsi --bogus"),
    (("report", "renja", "--formt", "csv"), "(Possible options: --format)", "(Opsi yang mungkin: --format)"),
    (("report", "renja", "lebih"), "Got unexpected extra argument(s) (lebih)", "Ada argumen berlebih yang tidak dikenal (lebih)"),
    (("history", "7.01", "--as-of"), "Option '--as-of' requires an argument.", "Opsi '--as-of' memerlukan sebuah nilai."),
    (("report", "nope"), "Invalid value for 'kind': 'nope' is not one of", "Nilai 'kind' tidak sah: 'nope' bukan salah satu dari"),
    (("report", "renja", "--as-of", "2024-13-01"), "'2024-13-01' is not a date; expected YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY",
     "'2024-13-01' bukan tanggal; tulis YYYY-MM-DD, DD/MM/YYYY atau DD-MM-YYYY"),
    (("diff", "--to", "2024-08-01"), "Usage: renja diff [OPTIONS]", "Penggunaan: renja diff [OPSI]"),
])
def test_click_and_typer_usage_errors_in_both_languages(args: tuple[str, ...], english: str, indonesian: str) -> None:
    """click builds these sentences with no translation hook: cli/click_words tells them again through the catalog."""
    try:
        for language, expected in (("en", english), ("id", indonesian)):
            set_language(language)
            shown = usage_error("--lang", language, *args)
            assert expected in shown, shown
    finally:
        set_language("en")


def test_the_help_option_and_the_usage_line_in_indonesian() -> None:
    from typer.testing import CliRunner

    from cli.app import renja_command

    try:
        set_language("id")
        with CliRunner().isolation() as (out, _err, _mixed):
            with pytest.raises(SystemExit):
                renja_command().main(args=["--lang", "id", "usul", "--help"], prog_name="renja")
            sys.stdout.flush()
            shown = out.getvalue().decode()
        assert "Penggunaan: renja usul [OPSI] PERINTAH [ARGUMEN]..." in shown and "Tampilkan bantuan ini lalu keluar." in shown
    finally:
        set_language("en")


def test_dates_in_words_and_the_forms_a_date_is_typed_in() -> None:
    from datetime import UTC, date, datetime

    from ledger.tanggal import parse_tanggal, tanggal, waktu

    assert parse_tanggal("31/12/2024") == parse_tanggal("31-12-2024") == parse_tanggal(" 2024-12-31 ") == date(2024, 12, 31)
    for wrong in ("2024-13-01", "31/13/2024", "1 Agustus", ""):
        with pytest.raises(ValueError, match="DD/MM/YYYY"):
            parse_tanggal(wrong)
    instant = datetime(2026, 12, 7, 4, 15, tzinfo=UTC)
    assert (tanggal(date(2024, 8, 1)), waktu(instant, "WITA")) == ("1 August 2024", "7 December 2026 12:15 WITA")
    try:
        set_language("id")
        assert (tanggal(date(2024, 8, 1)), waktu(instant, "WIB")) == ("1 Agustus 2024", "7 Desember 2026 11.15 WIB")
    finally:
        set_language("en")


def test_an_instant_is_shown_in_the_plans_zone_else_the_settings_else_wib(monkeypatch: pytest.MonkeyPatch) -> None:
    from contextvars import copy_context
    from datetime import UTC, date, datetime

    from ledger.errors import LedgerError
    from ledger.tanggal import check_zone, office_date, set_zone, waktu

    def in_the_plans_zone(zone: str) -> str:  # as a command or a web request sets it, in its own context
        set_zone(zone)
        return waktu(instant)

    instant = datetime(2026, 12, 7, 4, 15, tzinfo=UTC)
    monkeypatch.delenv("RENJA_ZONA_WAKTU", raising=False)
    assert waktu(instant) == "7 December 2026 11:15 WIB"
    monkeypatch.setenv("RENJA_ZONA_WAKTU", "wit")
    assert waktu(instant) == "7 December 2026 13:15 WIT"
    # the plan's documents state its zone: it wins over the setting
    assert copy_context().run(in_the_plans_zone, "WITA") == "7 December 2026 12:15 WITA"
    assert waktu(instant) == "7 December 2026 13:15 WIT"
    assert check_zone(" wita ") == "WITA"
    late = datetime(2026, 12, 7, 19, 21, tzinfo=UTC)  # 02.21 WIB and 03.21 WITA on the 8th, still the 7th in UTC
    assert copy_context().run(lambda: (set_zone("WITA"), office_date(late))[1]) == date(2026, 12, 8)
    assert office_date(late) == date(2026, 12, 8)  # WIT from the setting
    monkeypatch.setenv("RENJA_ZONA_WAKTU", "wib")
    assert office_date(datetime(2026, 12, 7, 16, 59, tzinfo=UTC)) == date(2026, 12, 7)  # 23.59 WIB
    with pytest.raises(LedgerError, match="'CET' is not a time zone of Indonesia: expected one of WIB, WITA, WIT"):
        check_zone("CET")


def test_every_stage_and_document_kind_has_a_label_in_both_languages() -> None:
    from ledger.basis import Stage
    from ledger.document import DocumentKind

    labels = {member: member.label for member in (*Stage, *DocumentKind)}
    assert all(labels.values()) and labels[DocumentKind.RKPD_RANCANGAN] == "Draft RKPD"
    try:
        set_language("id")
        assert DocumentKind.RKPD_RANCANGAN.label == "Rancangan RKPD" and Stage.PRAKIRAAN_MAJU.label == "prakiraan maju"
    finally:
        set_language("en")
