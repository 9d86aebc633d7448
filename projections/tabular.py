"""A report in neutral form: the JSON contract plus a table that any renderer can draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Column:
    key: str
    header: str
    kind: str = "text"  # text | money | target | number | percent
    group: str | None = None  # a merged header above this column (xlsx and table)
    width: int | None = None


@dataclass
class Tabular:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    meta: list[tuple[str, str]] = field(default_factory=list)
    styles: list[str | None] = field(default_factory=list)  # per row: "program", "kegiatan", "total", "flag"
    notes: list[str] = field(default_factory=list)


@dataclass
class Rendered:
    payload: Any  # the JSON contract
    tabular: Tabular
