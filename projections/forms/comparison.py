"""The DPPA-style comparison of two dates (sebelum | sesudah | bertambah/(berkurang))."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from projections.forms.shared import STYLES, printed_name
from projections.tabular import Column, Tabular


def percent_number(sebelum: int | None, sesudah: int | None) -> Decimal | None:
    """The change as a number of percent (two decimals), for spreadsheets; None without a base."""
    if not sebelum or sesudah is None:
        return None
    return (Decimal(sesudah - sebelum) * 100 / Decimal(sebelum)).quantize(Decimal("0.01"))


def perubahan_dppa(payload: dict[str, Any], as_of: tuple[str, str]) -> Tabular:
    sebelum, sesudah = f"Sebelum Perubahan ({as_of[0]})", f"Setelah Perubahan ({as_of[1]})"
    columns = [Column("kode", "Kode", "code", number=1), Column("nama", "Uraian", number=2, width=40),
               Column("sebelum", "Rp", "money", group=sebelum, number=3),
               Column("sesudah", "Rp", "money", group=sesudah, number=4),
               Column("bertambah_berkurang", "Rp", "money", group="Bertambah/(Berkurang)", number=5),
               Column("persen_angka", "%", "percent", group="Bertambah/(Berkurang)", number=5),
               Column("changed", "Yang berubah", width=24, number=6, drop=1)]
    rows: list[dict[str, Any]] = []
    styles: list[str | None] = []
    for program in payload["programs"]:
        rows.append({**program, "nama": printed_name({**program, "level": "program"}) if program.get("kode") else program["nama"],
                     "changed": "", "persen_angka": percent_number(program["sebelum"], program["sesudah"])})
        styles.append("program")
        for row in program["rows"]:
            rows.append({**row, "changed": ", ".join(row["changed"]),
                         "persen_angka": percent_number(row["sebelum"], row["sesudah"])})
            styles.append(STYLES.get(str(row.get("level"))))
    total = payload["total"]
    rows.append({"nama": f"JUMLAH ({total['lines_changed']} baris berubah)", **total,
                 "persen_angka": percent_number(total["sebelum"], total["sesudah"])})
    styles.append("total")
    return Tabular(f"Perubahan {as_of[0]} s.d. {as_of[1]} - {payload['opd']} {payload['tahun']}", columns, rows,
                   [("Perangkat Daerah", payload["opd"]), ("Tahun", str(payload["tahun"]))], styles,
                   heading=[f"PERBANDINGAN RENCANA {str(payload['opd']).upper()} TAHUN {payload['tahun']}",
                            f"SEBELUM ({as_of[0]}) DAN SETELAH PERUBAHAN ({as_of[1]})"],
                   column_numbers=True, sheet="Perubahan")
