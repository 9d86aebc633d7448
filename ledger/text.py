"""One policy for the text a person or a document gives the ledger.

Every free text that is recorded (a command's reason, a name, an indicator's wording, a
document's title, a cell of an imported table, an account's name) passes ``check_text``:

* no control characters other than tab, newline and carriage return, no bidi embeddings,
  overrides, isolates or marks, and no lone surrogates (what a terminal would interpret, what
  reorders what an auditor reads, what no spreadsheet or JSON encoder can store);
* a bound on its length, so a pasted megabyte is refused before any work starts.

The terminal's escape of stored text (``cli.safe``) stays as a second line, for ledgers written
before this policy existed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ledger.errors import InvalidValue
from ledger.i18n import _

# C0/C1 controls but tab, newline and carriage return; DEL; the Arabic letter mark, LRM/RLM, the
# bidi embeddings/overrides and isolates; the surrogates (a lone one cannot be encoded as UTF-8).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff]")
MAX_TEXT = 2000  # characters of one free text: a reason, a title, an indicator's wording
MAX_CELL = 8000  # characters of one cell of an imported table (a cell may list several indicators)
MAX_NAME = 63  # characters of an account name: it is also a PostgreSQL role name (at most 63 bytes)


def describe(character: str) -> str:
    return f"U+{ord(character):04X}"


def escaped(text: str, forbidden: re.Pattern[str] = FORBIDDEN) -> str:
    """Stored text with every forbidden character shown as a visible escape (``\\x1b``): for text
    recorded before this policy, on the way out to a terminal, a spreadsheet or a page."""
    return forbidden.sub(lambda found: f"\\x{ord(found.group()):02x}" if ord(found.group()) < 0x100
                         else f"\\u{ord(found.group()):04x}", text)


def check_text(value: str, field: str, *, limit: int = MAX_TEXT) -> str:
    """``value`` unchanged when it may be recorded; InvalidValue naming the field otherwise."""
    if len(value) > limit:
        raise InvalidValue(field, value[:20] + "...", _("a text of at most {limit} characters (this one has {count})")
                           .format(limit=limit, count=len(value)))
    found = FORBIDDEN.search(value)
    if found:
        shown = FORBIDDEN.sub("?", value[:40])
        raise InvalidValue(field, shown, _("text without control or bidi characters: it holds the control character "
                                           "{code} at position {at}; remove it").format(code=describe(found.group()),
                                                                                         at=found.start() + 1))
    return value


def check_name(value: str, field: str) -> str:
    """An account's (or a user's) name: printable, not blank, no space at either end, short."""
    check_text(value, field, limit=MAX_NAME)
    if not value.strip() or value != value.strip() or not value.isprintable():
        raise InvalidValue(field, value, _("a name that is printable, not blank, without spaces at either end"))
    return value


def texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string inside a command, a pydantic model or a dataclass, with the field path that holds it."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), name if not path else f"{path}.{name}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from texts(getattr(value, item.name), item.name if not path else f"{path}.{item.name}")
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from texts(item, path)


def check_texts(value: Any) -> None:
    """The policy over every text a command (or a document's description) carries."""
    for field, text in texts(value, ""):
        check_text(text, field)
