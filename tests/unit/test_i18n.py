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
