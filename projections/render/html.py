"""An official form as HTML: the printed form for the PDF, and the page the web application
shows. Jinja2 autoescapes every value, so text from a document is never markup."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from projections.render.layout import header_cells, header_depth, number_cells
from projections.tabular import Column, Tabular, cell_text

_ENV = Environment(loader=PackageLoader("projections.render", "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
NUMERIC = ("money", "number", "percent")


@dataclass(frozen=True)
class Cell:
    text: str
    css: str = ""
    rowspan: int = 1
    colspan: int = 1


def stylesheet() -> str:
    return (resources.files("projections.render") / "templates" / "form.css").read_text(encoding="utf-8")


def money_text(value: Any, column: Column) -> str:
    """As the printed forms show money: 2.788.872.800, negatives in parentheses, zero as '-'."""
    if column.kind == "percent" and not isinstance(value, str) and value is not None and value == 0:
        return "-"
    if isinstance(value, int) and column.kind == "money":
        if value == 0:
            return "-"
        text = cell_text(abs(value), "money")
        return f"({text})" if value < 0 else text
    return cell_text(value, column.kind) or column.empty


def header_rows(tabular: Tabular) -> list[list[Cell]]:
    form, checks = tabular.form_columns, tabular.check_columns
    depth = max(header_depth(form), header_depth(checks) if checks else 1)
    rows: list[list[Cell]] = [[] for _ in range(depth)]
    parts = [(form, "")] + ([(checks, "check")] if checks else [])
    for number, (columns, css) in enumerate(parts):
        if number:
            rows[0].append(Cell("", "gap", rowspan=depth + (1 if tabular.column_numbers else 0)))
        own_depth = header_depth(columns)
        for item in header_cells(columns):
            rowspan = depth - item.row if item.row + item.rowspan == own_depth else item.rowspan
            rows[item.row].append(Cell(item.text, css, rowspan, item.colspan))
    return rows


def number_row(tabular: Tabular) -> list[Cell]:
    if not tabular.column_numbers:
        return []
    cells = []
    position = 0
    for col, span, number in number_cells(tabular.form_columns):
        if col > position:
            cells.append(Cell("", "", colspan=col - position))
        cells.append(Cell(str(number), "", colspan=span))
        position = col + span
    if position < len(tabular.form_columns):
        cells.append(Cell("", "", colspan=len(tabular.form_columns) - position))
    if tabular.check_columns:
        cells.append(Cell("", "check", colspan=len(tabular.check_columns)))
    return cells


def body_rows(tabular: Tabular) -> list[dict[str, Any]]:
    rows = []
    for index, values in enumerate(tabular.rows):
        flagged = tabular.flagged(index)
        level = f"level-{values.get('level')}" if values.get("level") else ""
        cells = []
        for column in tabular.form_columns:
            css = [column.kind if column.kind in (*NUMERIC, "target", "code") else "text", level, column.key]
            if column.key in flagged:
                css.append("flag")
            cells.append(Cell(money_text(values.get(column.key), column), " ".join(c for c in css if c)))
        if tabular.check_columns:
            cells.append(Cell("", "gap"))
            cells += [Cell(money_text(values.get(c.key), c) if values.get(c.key) is not None else "", f"{c.kind} check")
                      for c in tabular.check_columns]
        rows.append({"style": tabular.style(index) or "", "cells": cells})
    return rows


def units_of(tabular: Tabular, column: Column) -> int:
    """A column's share of the page, in characters: figures, kodes and targets get their widest
    cell (they never wrap), text gets a share that wraps at words."""
    cells = [money_text(row.get(column.key), column) for row in tabular.rows if row.get(column.key) is not None]
    lines = [line for text in cells for line in text.splitlines()]
    header_word = max((len(word) for word in column.header.split()), default=1)
    if column.kind in (*NUMERIC, "code", "target"):
        # Bold rows and the cell's padding take about three characters more.
        return max([len(line) for line in lines] + [3, header_word]) + 2
    longest_word = max((len(word) for line in lines for word in line.split()), default=4)
    return max(longest_word, header_word, min(column.width or 20, 20)) + 1


def min_units(tabular: Tabular, column: Column) -> int:
    """The narrowest a text column may get: its longest word (capped, so one long word cannot
    take the page)."""
    cells = [money_text(row.get(column.key), column) for row in tabular.rows if row.get(column.key) is not None]
    words = [len(word) for text in cells for word in text.split()] + [len(w) for w in column.header.split()]
    # The name column reads as the form's spine: it keeps room for a few words a line.
    return max(min(max(words, default=4), 14) + 1, 22 if column.key in ("nama", "message") else 0)


def column_units(tabular: Tabular) -> list[int]:
    """Each column's share of the page width (the gap before the check columns is narrow)."""
    units = [units_of(tabular, c) for c in tabular.form_columns]
    if tabular.check_columns:
        units += [1, *(units_of(tabular, c) for c in tabular.check_columns)]
    return units


PAGE_POINTS = {"a4": 785.0, "f4": 879.0}  # printable width, landscape, 10 mm margins
CHAR_EM = 0.62  # the width of a digit of DejaVu Sans, in em


def fitted(tabular: Tabular, paper: str) -> tuple[list[float], float]:
    """Column widths (percent of the page) and a font size (pt) at which every figure fits
    whole: the font shrinks down to 5 pt, then the text columns give up width (they wrap)."""
    units = column_units(tabular)
    floors = [min_units(tabular, c) if c is not None else 1
              for c in [*tabular.form_columns, *([None, *tabular.check_columns] if tabular.check_columns else [])]]
    columns: list[Column | None] = [*tabular.form_columns, *([None, *tabular.check_columns] if tabular.check_columns else [])]
    page = PAGE_POINTS.get(paper, PAGE_POINTS["a4"])
    size = max(5.0, min(8.0, page / (CHAR_EM * sum(units))))
    capacity = page / (CHAR_EM * size)
    is_text = [c is not None and c.kind == "text" for c in columns]
    fixed = sum(u for u, text in zip(units, is_text, strict=True) if not text)
    text_total = sum(u for u, text in zip(units, is_text, strict=True) if text)
    if text_total and fixed + text_total > capacity:
        scale = max(capacity - fixed, text_total * 0.3) / text_total
        units = [max(floor, round(u * scale)) if text else u
                 for u, floor, text in zip(units, floors, is_text, strict=True)]
    total = sum(units)
    return [round(100 * u / total, 2) for u in units], round(size, 1)


def context(tabular: Tabular, paper: str = "a4") -> dict[str, Any]:
    widths, size = fitted(tabular, paper)
    return {"tabular": tabular, "header_rows": header_rows(tabular), "numbers": number_row(tabular),
            "body": body_rows(tabular), "flagged": any(tabular.flags), "paper": paper, "css": stylesheet(),
            "widths": widths, "font_size": size}


def form_html(tabular: Tabular, paper: str = "a4") -> str:
    """A whole printable page of one form."""
    return _ENV.get_template("form.html").render(**context(tabular, paper))


def form_fragment(tabular: Tabular) -> str:
    """The form alone, for a page of the web application."""
    return _ENV.get_template("form_body.html").render(**context(tabular))
