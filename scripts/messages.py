"""Keep the Indonesian catalog complete: list every message of the code (``_()`` and ``N_()``
calls, and the CLI's help texts) and add the missing ones to ledger/locale/id/LC_MESSAGES/renja.po
untranslated, for a translator to fill. `make messages` runs it; the tests fail while any
message has no translation."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "ledger" / "locale" / "id" / "LC_MESSAGES" / "renja.po"


def code_messages() -> set[str]:
    found: set[str] = set()
    for package in ("ledger", "projections", "cli", "events_store", "web"):
        for _name, _line, message, _comments, _context in extract_from_dir(
                ROOT / package, method_map=[("**.py", "python")], keywords={"_": None, "N_": None, "phrase": None}):
            found.add(message)
    # The web's templates call _() too (Jinja's i18n extension).
    for _name, _line, message, _comments, _context in extract_from_dir(
            ROOT / "web" / "templates", method_map=[("**.html", "jinja2")], keywords={"_": None}):
        if isinstance(message, str) and message:
            found.add(message)
    return found | help_messages()


def help_messages() -> set[str]:
    import typer.main

    from cli.app import app

    found: set[str] = set()

    def walk(command: object) -> None:
        if getattr(command, "help", None):
            found.add(inspect.cleandoc(command.help))  # type: ignore[attr-defined]
        for param in getattr(command, "params", []):
            if getattr(param, "help", None):
                found.add(param.help)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return found


def update(translations: dict[str, str] | None = None) -> list[str]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="id", domain="renja")
    fresh = Catalog(locale="id", domain="renja", project="renja-ledger", version="0.1.0", fuzzy=False,
                    header_comment="# Indonesian messages of renja-ledger (message ids are the English texts).",
                    language_team="renja-ledger", last_translator="renja-ledger")
    for message in sorted(code_messages()):
        known = catalog.get(message)
        fresh.add(message, (translations or {}).get(message) or (known.string if known else ""))
    with CATALOG.open("wb") as handle:
        write_po(handle, fresh, width=0, omit_header=False)
    return [m.id for m in fresh if m.id and not m.string]


if __name__ == "__main__":
    missing = update()
    for message in missing:
        print(f"untranslated: {message!r}", file=sys.stderr)
    sys.exit(1 if missing else 0)
