"""Messages in the user's language: Indonesian by default, English on request.

Through the standard gettext machinery: message ids are the English texts as written in the
code, wrapped in ``_()``; the Indonesian catalog is ``ledger/locale/id/LC_MESSAGES/renja.po``,
compiled by Babel when first needed. The language is, in order: ``--lang`` (the CLI calls
``set_language``), ``$RENJA_LANG``, the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when it
names Indonesian or English, else Indonesian.

The active language is a context variable, not a process-wide setting: the CLI sets it once
per invocation, the web once per request (``using_language``), so two requests in two
languages are served at once, each in its own.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import BytesIO

DOMAIN = "renja"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()  # the message ids are the English texts
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    source = resources.files("ledger") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def language_from(environ: Mapping[str, str]) -> str:
    chosen = environ.get("RENJA_LANG", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "").strip().lower()
        if value[:2] in LANGUAGES:
            return value[:2]
    return DEFAULT_LANGUAGE


_START = language_from(os.environ)  # the process's language until a context chooses one
_active: ContextVar[str] = ContextVar("renja_language", default=_START)


def set_language(language: str) -> None:
    """The language of the messages of this context (the CLI's run, one web request)."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: expected one of {', '.join(LANGUAGES)}")
    _active.set(language)


@contextmanager
def using_language(language: str) -> Iterator[None]:
    """Messages in ``language`` within the block, the language before it after."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: expected one of {', '.join(LANGUAGES)}")
    token = _active.set(language)
    try:
        yield
    finally:
        _active.reset(token)


def active_language() -> str:
    return _active.get()


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; ``_()`` translates it where shown."""
    return message


def _(message: str) -> str:
    """The message in the active language (the English text when no translation is known)."""
    return translations(_active.get()).gettext(message)


@dataclass(frozen=True)
class Phrase:
    """Words kept in two forms: ``str()`` is the English message filled in, a stable name that
    JSON carries and rules compare; ``text`` is the same in the reader's language. A value may
    be a Phrase itself (a role's label), told in the same language as the whole."""

    message: str
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return self.message.format(**{name: str(value) for name, value in self.values})

    @property
    def text(self) -> str:
        return _(self.message).format(**{name: value.text if isinstance(value, Phrase) else value
                                         for name, value in self.values})


def phrase(message: str, **values: object) -> Phrase:
    """A Phrase of ``message`` (marked for the catalog like ``N_``) with its values."""
    return Phrase(message, tuple(values.items()))
