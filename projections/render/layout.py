"""Where each header cell of a form goes: the one computation every renderer draws from.

A column's header path is its groups then its own header (``("Rencana Tahun 2024",
"Target Capaian Kinerja", "Program")``). The header has as many rows as the deepest path;
a label spans the columns that share it and the same prefix, and the last label of a
shorter path spans down to the bottom row. An empty own header lets its group span down.
"""

from __future__ import annotations

from dataclasses import dataclass

from projections.tabular import Column

# Printed, a form's last rows go on the page of its signature (PDF and XLSX alike): a signature
# never stands alone on a page, where it could be put under another table.
KEPT_WITH_SIGNATURE = 3


@dataclass(frozen=True)
class HeaderCell:
    row: int  # 0-based header row
    col: int  # 0-based column
    rowspan: int
    colspan: int
    text: str


def path(column: Column) -> tuple[str, ...]:
    labels = (*column.groups, column.header)
    while len(labels) > 1 and not labels[-1]:
        labels = labels[:-1]
    return labels


def header_depth(columns: list[Column]) -> int:
    return max((len(path(c)) for c in columns), default=1)


def header_cells(columns: list[Column]) -> list[HeaderCell]:
    depth = header_depth(columns)
    paths = [path(c) for c in columns]
    cells: list[HeaderCell] = []
    for level in range(depth):
        col = 0
        while col < len(columns):
            labels = paths[col]
            if level >= len(labels):
                col += 1
                continue
            last = level == len(labels) - 1
            end = col
            # A column's own header is never merged with its neighbour's; a group label is.
            while (not last or not columns[col].header) and end + 1 < len(columns):
                other = paths[end + 1]
                same = len(other) > level and other[: level + 1] == labels[: level + 1] and (level == len(other) - 1) == last
                if not same or (last and len(other) != len(labels)):
                    break
                end += 1
            rowspan = depth - level if last else 1
            cells.append(HeaderCell(level, col, rowspan, end - col + 1, labels[level]))
            col = end + 1
    return cells


def number_cells(columns: list[Column]) -> list[tuple[int, int, int]]:
    """(first column, span, number) of the form's column-number row; a number shared by
    adjacent sub-columns (Target and Rp of one triwulan) is one merged cell."""
    found: list[tuple[int, int, int]] = []
    for index, column in enumerate(columns):
        if column.number is None:
            continue
        if found and found[-1][2] == column.number and found[-1][0] + found[-1][1] == index:
            first, span, number = found[-1]
            found[-1] = (first, span + 1, number)
        else:
            found.append((index, 1, column.number))
    return found
