"""Which plans and lines the ledger holds (from the line register)."""

from __future__ import annotations

from sqlalchemy import Engine, text


def list_plans(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT DISTINCT opd, tahun FROM renja_lines ORDER BY opd, tahun"))
        return [(row[0], int(row[1])) for row in rows]
