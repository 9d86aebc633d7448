"""The DPA and DPPA *Rincian Belanja*: each sub-kegiatan's accounts, at any point in time.

For every sub-kegiatan that has accounts (in a document of Permendagri 13/2006, every kegiatan:
that era has no sub-kegiatan; its section is marked with its ``level``): its row, the rows of the higher
account levels (akun, kelompok, jenis, objek, rincian objek) with their computed sums and
any total a document printed for them, each account with its jumlah *sebelum* (murni) and
*setelah* (perubahan), the change in Rp and %, and the pergeseran that moved it with their
decisions; then the account's komponen with koefisien, satuan, harga and PPN. The JSON
contract (``report_rincian``) and the official form drawn from it (``rincian_belanja``).
"""

from __future__ import annotations

from typing import Any

from ledger.basis import Stage
from ledger.document import DocumentKind
from ledger.line_state import LineState, RincianEntry, ShiftLeg
from ledger.money import format_rupiah
from ledger.pergeseran import Authority, ShiftScope
from ledger.rekening import LEVELS, KodeRekening
from projections.contract import header
from projections.forms import BLOCK_STYLE, CHECK_GROUP, LEGEND, heading_for, masukan, meta, percent_number, signature, sipd_block
from projections.hierarchy import build_tree, walk
from projections.tabular import Column, Tabular, quantity_text
from projections.timeline import PlanView

SEBELUM, SETELAH = Stage.MURNI, Stage.PERUBAHAN


def setelah_of(line: LineState) -> int | None:
    """The amount *setelah perubahan*: the perubahan's, or, while none is stated, the murni
    still in force (the plan in force, as everywhere in the ledger), not nothing."""
    amount = line.pagu(SETELAH)
    if amount is None:
        amount = line.pagu(SEBELUM)
    return None if amount is None else int(amount)


def item_json(entry: RincianEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    item = entry.item
    return {"komponen": item.komponen, "koefisien": None if item.koefisien is None else str(item.koefisien),
            "satuan": item.satuan, "harga": item.harga,
            "ppn": f"{item.ppn_persen}%" if item.ppn_persen is not None else item.ppn, "jumlah": item.jumlah,
            "sumber": entry.source.describe()}


def leg_json(leg: ShiftLeg) -> dict[str, Any]:
    return {"jumlah": leg.delta, "lawan": leg.counterpart, "tingkat": leg.scope,
            "tingkat_uraian": ShiftScope(leg.scope).label if leg.scope else None,
            "dasar": leg.authority, "dasar_uraian": Authority(leg.authority).label if leg.authority else None,
            "nomor": leg.decision, "berlaku": leg.effective_on.isoformat() if leg.effective_on else None,
            "dicatat_oleh": leg.recorded_by, "alasan": leg.reason, "sumber": leg.source.describe()}


def change(sebelum: int | None, setelah: int | None) -> int | None:
    if sebelum is None and setelah is None:
        return None
    return (setelah or 0) - (sebelum or 0)


def komponen_rows(account: LineState) -> list[dict[str, Any]]:
    """The account's komponen, sebelum beside setelah where one document states both (a
    DPPA's before/after columns pair by row); otherwise each side on its own rows."""
    before = account.figures(SEBELUM)
    after = account.figures(SETELAH)
    left = before.rincian if before else []
    right = after.rincian if after and after.pagu is not None else left  # no perubahan stated: the murni stands
    same_document = bool(left and right) and left[0].source.document_id == right[0].source.document_id
    # Komponen mirrored from SIPD pair by their SIPD row (id_rinci_sub_bl), whichever sync stated each side.
    from_sipd = bool(left and right) and all(entry.source.kind == DocumentKind.SIPD.value for entry in (*left, *right))
    pairs: list[tuple[RincianEntry | None, RincianEntry | None]]
    if right is left:
        pairs = [(entry, entry) for entry in left]
    elif from_sipd:
        by_row = {entry.source.row: entry for entry in left}
        pairs = [*((by_row.pop(entry.source.row, None), entry) for entry in right), *((e, None) for e in by_row.values())]
    elif same_document:
        by_ke = {entry.ke: entry for entry in left}
        paired = [(by_ke.pop(entry.ke, None), entry) for entry in right]
        pairs = sorted([*paired, *((entry, None) for entry in by_ke.values())],
                       key=lambda pair: (pair[1] or pair[0]).ke)  # type: ignore[union-attr]
    else:
        pairs = [*((entry, None) for entry in left), *((None, entry) for entry in right)]
    rows = []
    shown: dict[int, dict[str, Any] | None] = {}  # an entry on both sides (no perubahan stated) is written once

    def as_json(entry: RincianEntry | None) -> dict[str, Any] | None:
        if id(entry) not in shown:
            shown[id(entry)] = item_json(entry)
        return shown[id(entry)]
    for sebelum, setelah in pairs:
        one = setelah or sebelum
        assert one is not None
        rows.append({"level": "komponen", "nama": one.item.komponen, "sebelum": as_json(sebelum),
                     "setelah": as_json(setelah),
                     "bertambah_berkurang": change(sebelum.item.jumlah if sebelum else None,
                                                   setelah.item.jumlah if setelah else None),
                     "bertambah_tertulis": setelah.printed_change if setelah else None})
    return rows


def rekening_row(account: LineState) -> dict[str, Any]:
    sebelum, setelah = account.pagu(SEBELUM), setelah_of(account)
    legs = [leg for stage in (SEBELUM, SETELAH) if (figures := account.figures(stage)) for leg in figures.shifts]
    return {"level": "rekening", "kode_rekening": account.kode, "nama": account.nama,
            "sebelum": sebelum, "setelah": setelah, "bertambah_berkurang": change(sebelum, setelah),
            "pergeseran": [leg_json(leg) for leg in legs], "komponen": komponen_rows(account)}


def level_rows(sub: LineState, accounts: list[LineState]) -> list[dict[str, Any]]:
    """The account tree under one sub-kegiatan: a row per higher level (computed sums and the
    totals documents printed for it), then each account. Accounts come in kode order, so each
    level's row comes before its accounts; its sums are added up in one pass."""
    codes = {account.key: KodeRekening.read(account.kode or "") for account in accounts}
    parts = {key: kode.parts for key, kode in codes.items()}
    sums: dict[tuple[str, ...], dict[Stage, int | None]] = {}
    for account in accounts:
        for depth in range(1, len(parts[account.key])):
            totals = sums.setdefault(parts[account.key][:depth], {SEBELUM: None, SETELAH: None})
            for stage, amount in ((SEBELUM, account.pagu(SEBELUM)), (SETELAH, setelah_of(account))):
                if amount is not None:
                    totals[stage] = (totals[stage] or 0) + int(amount)
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()
    for account in accounts:
        for depth in range(1, len(parts[account.key])):
            prefix = parts[account.key][:depth]
            if prefix in seen:
                continue
            seen.add(prefix)
            code = ".".join(prefix)
            stated = {stage: total for stage in (SEBELUM, SETELAH)
                      if (figures := sub.figures(stage)) and (total := figures.rekening_totals.get(code))}
            upper = codes[account.key].rules.upper_names  # 5.2 is belanja modal in 2024, belanja langsung in 2017
            nama = next((t.nama for t in stated.values() if t.nama), None) or upper.get(code)
            before, after = sums[prefix][SEBELUM], sums[prefix][SETELAH]
            rows.append({"level": f"rekening_{LEVELS[depth - 1].value}", "kode_rekening": code, "nama": nama,
                         "sebelum": before, "setelah": after, "bertambah_berkurang": change(before, after),
                         "sebelum_tertulis": stated[SEBELUM].rupiah if SEBELUM in stated else None,
                         "setelah_tertulis": stated[SETELAH].rupiah if SETELAH in stated else None})
        rows.append(rekening_row(account))
    return rows


def sum_of(accounts: list[LineState], stage: Stage) -> int | None:
    amounts = (setelah_of(account) if stage is SETELAH else account.pagu(stage) for account in accounts)
    held = [int(amount) for amount in amounts if amount is not None]
    return sum(held) if held else None


def report_rincian(view: PlanView, kind: str) -> dict[str, Any]:
    """The JSON contract of the DPA (``kind`` dpa: the murni side) and the DPPA (both sides)."""
    sections: list[dict[str, Any]] = []
    for node in walk(build_tree(view.lines)):
        sub = node.line
        accounts = view.rekening_of(sub.key)
        if not accounts:
            continue
        sebelum, setelah = sum_of(accounts, SEBELUM), sum_of(accounts, SETELAH)
        sections.append({"kode": sub.kode, "level": sub.level.value, "nama": sub.nama,
                         "sebelum": sebelum, "setelah": setelah, "bertambah_berkurang": change(sebelum, setelah),
                         "pagu_sebelum_dinyatakan": sub.pagu(SEBELUM), "pagu_setelah_dinyatakan": setelah_of(sub),
                         "rows": level_rows(sub, accounts)})
    total_sebelum = sum(int(s["sebelum"] or 0) for s in sections)
    total_setelah = sum(int(s["setelah"] or 0) for s in sections)
    return {**header(view, kind), "sub_kegiatan": sections,
            "total": {"sebelum": total_sebelum, "setelah": total_setelah,
                      "bertambah_berkurang": total_setelah - total_sebelum}}


# --- the official form ----------------------------------------------------------------------------

RINCIAN_FIGURES = (("koefisien", "Koefisien", "text"), ("satuan", "Satuan", "text"), ("harga", "Harga", "money"),
                   ("ppn", "PPN", "text"), ("jumlah", "Jumlah", "money"))


# What a section of the form details: a sub-kegiatan (Permendagri 90/2019), or a kegiatan in the
# documents of Permendagri 13/2006, which had no sub-kegiatan.
SECTION_WORDS = {"sub_kegiatan": "Sub Kegiatan", "kegiatan": "Kegiatan"}


def rincian_of(payload: dict[str, Any]) -> str:
    """The form's heading word: "Kegiatan" when every section is a kegiatan, else "Sub Kegiatan"."""
    levels = {section["level"] for section in payload["sub_kegiatan"]}
    return SECTION_WORDS["kegiatan"] if levels == {"kegiatan"} else SECTION_WORDS["sub_kegiatan"]


def pergeseran_text(legs: list[dict[str, Any]]) -> str | None:
    """'-1.500.000 ke 7.01.01.2.06.08/5.1.02.01.01.0026, persetujuan PPKD No. 12/2024 (2024-10-01)'."""
    texts = []
    for leg in legs:
        side = "ke" if leg["jumlah"] < 0 else "dari"
        decision = " ".join(p for p in (leg.get("dasar_uraian") or "tanpa dasar", leg.get("nomor")) if p)
        texts.append(f"{'+' if leg['jumlah'] > 0 else ''}{format_rupiah(leg['jumlah'])} {side} {leg['lawan']}, "
                     f"{decision} ({leg['berlaku']})")
    return "\n".join(texts) or None


def rincian_belanja(view: PlanView, payload: dict[str, Any], perubahan: bool) -> Tabular:
    """The DPA *Rincian Belanja* (murni) or the DPPA *Rincian Perubahan* (sebelum | setelah |
    bertambah/(berkurang)), per sub-kegiatan, as SIPD prints them."""
    sebelum, setelah = "Sebelum Perubahan", "Setelah Perubahan"
    columns = [Column("rekening", "Kode Rekening", "code", number=1, width=20),
               Column("uraian", "Uraian", number=2, width=36)]
    sides = [(sebelum, "s"), (setelah, "t")] if perubahan else [("Rincian Perhitungan", "t")]
    number = 3
    for group, prefix in sides:
        for key, title, kind in RINCIAN_FIGURES:
            columns.append(Column(f"{prefix}_{key}", title, kind, group=group if perubahan else None, number=number,
                                  width=14 if kind == "money" else 9, drop=0 if kind == "money" else 2))
            number += 1
    if perubahan:
        columns += [Column("bertambah_berkurang", "Rp", "money", group="Bertambah/(Berkurang)", number=number),
                    Column("persen_angka", "%", "percent", group="Bertambah/(Berkurang)", number=number),
                    Column("dasar", "Pergeseran dan dasarnya", number=number + 1, width=30, drop=1)]
    columns += [Column("tertulis", "Jumlah tertulis di dokumen", "money", (CHECK_GROUP,), check=True),
                Column("selisih", "Selisih (tertulis - dihitung)", "money", (CHECK_GROUP,), check=True)]
    rows: list[dict[str, Any]] = []
    styles: list[str | None] = []
    flags: list[frozenset[str]] = []

    def add(cells: dict[str, Any], style: str | None, shown: str | None = None, stated: int | None = None) -> None:
        marked: frozenset[str] = frozenset()
        if shown is not None and stated is not None and cells.get(shown) is not None and stated != cells[shown]:
            cells.update(tertulis=stated, selisih=stated - cells[shown])
            marked = frozenset({shown})
        rows.append(cells)
        styles.append(style)
        flags.append(marked)

    for section in payload["sub_kegiatan"]:
        for block in sipd_block(view, section["kode"], SETELAH if perubahan else SEBELUM, masukan(section, perubahan)):
            add(block, BLOCK_STYLE)
        add({"rekening": section["kode"], "level": section["level"],
             "uraian": f"{SECTION_WORDS.get(section['level'], 'Sub Kegiatan')}: {section['nama']}",
             "s_jumlah": section["sebelum"], "t_jumlah": section["setelah"],
             "bertambah_berkurang": section["bertambah_berkurang"],
             "persen_angka": percent_number(section["sebelum"], section["setelah"])},
            "program", "t_jumlah", section["pagu_setelah_dinyatakan" if perubahan else "pagu_sebelum_dinyatakan"])
        for row in section["rows"]:
            if row["level"] != "rekening":
                add({"rekening": row["kode_rekening"], "level": row["level"], "uraian": row["nama"], "s_jumlah": row["sebelum"],
                     "t_jumlah": row["setelah"] if perubahan else row["sebelum"],
                     "bertambah_berkurang": row["bertambah_berkurang"],
                     "persen_angka": percent_number(row["sebelum"], row["setelah"])},
                    "kegiatan", "t_jumlah", row["setelah_tertulis"] if perubahan else row["sebelum_tertulis"])
                continue
            add({"rekening": row["kode_rekening"], "level": row["level"], "uraian": row["nama"], "s_jumlah": row["sebelum"],
                 "t_jumlah": row["setelah"] if perubahan else row["sebelum"],
                 "bertambah_berkurang": row["bertambah_berkurang"],
                 "persen_angka": percent_number(row["sebelum"], row["setelah"]),
                 "dasar": pergeseran_text(row["pergeseran"])}, None)
            for komponen in row["komponen"]:
                if not perubahan and komponen["sebelum"] is None:
                    continue
                cells: dict[str, Any] = {"uraian": f"  {komponen['nama'] or '-'}", "level": "komponen",
                                         "bertambah_berkurang": komponen["bertambah_berkurang"]}
                for prefix, side in (("s", komponen["sebelum"]), ("t", komponen["setelah"] if perubahan
                                                                     else komponen["sebelum"])):
                    for key, _header, _kind in RINCIAN_FIGURES:
                        cells[f"{prefix}_{key}"] = side[key] if side else None
                    if side and side["koefisien"] is not None:  # as printed: 7,5 and 1.200
                        cells[f"{prefix}_koefisien"] = quantity_text(side["koefisien"])
                add(cells, "komponen")
    total = payload["total"]
    add({"uraian": "JUMLAH", "level": "total", "s_jumlah": total["sebelum"],
         "t_jumlah": total["setelah"] if perubahan else total["sebelum"],
         "bertambah_berkurang": total["bertambah_berkurang"],
         "persen_angka": percent_number(total["sebelum"], total["setelah"])}, "total")
    name = "Rincian Perubahan Anggaran Belanja (DPPA)" if perubahan else "Rincian Belanja (DPA)"
    heading = heading_for(view, "DOKUMEN PELAKSANAAN PERUBAHAN ANGGARAN" if perubahan else
                          "DOKUMEN PELAKSANAAN ANGGARAN", f"RINCIAN BELANJA {rincian_of(payload).upper()}",
                          "{opd} TAHUN ANGGARAN {tahun}")
    kinds = (DocumentKind.DPPA, DocumentKind.RKA_PERUBAHAN) if perubahan else (DocumentKind.DPA, DocumentKind.RKA)
    return Tabular(f"{name} - {view.opd} {view.tahun}", columns, rows, meta(view), styles, heading=heading,
                   column_numbers=True, flags=flags, legend=[LEGEND], signature=signature(view, kinds),
                   sheet="DPPA" if perubahan else "DPA")
