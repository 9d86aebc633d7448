"""Stored text on the terminal, inert: a document's name or a reason may hold control characters
(an ESC sequence that recolours, moves the cursor or sets a link; a bidi override that reorders
what is read) or rich markup. What the CLI prints of it shows such characters as visible escapes
(``\\x1b``) and never interprets markup in it."""

from __future__ import annotations

import re

import typer
from rich.markup import escape

from ledger.text import escaped

# C0 and C1 controls except tab and newline, DEL, and the bidi embeddings/overrides/isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: object) -> str:
    return escaped(str(text), CONTROL)


def markup_safe(text: object) -> str:
    """For a rich string that may carry markup of ours around it: the stored text inert."""
    return escape(shown(text))


def echo(text: object, *, err: bool = False) -> None:
    typer.echo(shown(text), err=err)
