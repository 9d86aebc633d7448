"""The document manifest (document.toml) and its tables."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from ledger.application.importing.layouts import LAYOUTS
from ledger.application.importing.spec import DocumentSpec, TableSpec
from ledger.basis import Stage
from ledger.document import DocumentKind
from ledger.errors import ImportFailed


def _require(data: dict[str, Any], key: str, file: str, expected: str) -> Any:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ImportFailed(file, None, key, f"missing or blank; expected {expected}")
    return value.strip() if isinstance(value, str) else value


def _optional_text(data: dict[str, Any], key: str, file: str) -> str | None:
    """A text the document may not print (a signature): absent, or given as printed; never blank."""
    if key not in data:
        return None
    value = str(data[key]).strip()
    if not value:
        raise ImportFailed(file, None, key, "blank: give it as printed, or leave the key out when none is printed")
    return value


def _year(value: Any, file: str) -> int:
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isascii()
                                                                   and value.isdigit())) or not 1900 < int(value) < 2200:
        raise ImportFailed(file, None, "tahun", f"{value!r} is not a plan year such as 2024")
    return int(value)


def _kind(value: Any, file: str) -> DocumentKind:
    try:
        return DocumentKind(str(value))
    except ValueError:
        raise ImportFailed(file, None, "kind", f"{value!r} is not one of {', '.join(k.value for k in DocumentKind)}") from None


def _stage(value: Any, file: str, where: str) -> Stage:
    try:
        return Stage(str(value))
    except ValueError:
        raise ImportFailed(file, where, "stage", f"{value!r} is not one of {', '.join(s.value for s in Stage)}") from None


# The stage a before/after form's *sebelum* columns state when the manifest names none.
STAGE_BEFORE = {Stage.PERUBAHAN: Stage.MURNI}


def _date(value: Any, file: str, where: str | None, key: str) -> date:
    if not isinstance(value, date):
        raise ImportFailed(file, where, key, f"{value!r} is not a date; write it as 2024-08-01 (no quotes)")
    return value


def _stage_before(table: dict[str, Any], stage: Stage | None, file: str, where: str) -> Stage | None:
    if "stage_sebelum" in table:
        return _stage(table["stage_sebelum"], file, where)
    return STAGE_BEFORE.get(stage) if stage is not None else None


def load_manifest(folder: Path) -> DocumentSpec:
    path = folder / "document.toml"
    file = str(path)
    if not path.is_file():
        raise ImportFailed(str(folder), None, None, "no document.toml here; see docs/dataset-layout.md")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ImportFailed(file, None, None, f"not valid TOML: {error}") from None
    tanggal = _date(_require(data, "tanggal", file, "the signing date, e.g. 2024-08-01 (when none is printed, the date "
                                                  "the document can be dated by, with tanggal_dasar saying how)"),
                    file, None, "tanggal")
    tables = []
    for number, table in enumerate(data.get("tabel", []), start=1):
        where = f"[[tabel]] #{number}"
        layout = _require(table, "layout", file, "|".join(LAYOUTS))
        if layout not in LAYOUTS:
            raise ImportFailed(file, where, "layout", f"{layout!r} is not one of {', '.join(LAYOUTS)}")
        stage = _stage(table["stage"], file, where) if "stage" in table else None
        if LAYOUTS[layout].needs_stage and stage is None:
            raise ImportFailed(file, where, "stage", f"a {layout} table needs the stage its figures belong to")
        lines = table.get("seed_lines")
        tables.append(TableSpec(
            id=str(_require(table, "id", file, "the table's name, e.g. 'Tabel 3.2'")),
            path=folder / str(_require(table, "file", file, "a .csv or .xlsx file name")),
            layout=layout, stage=stage, sheet=table.get("sheet"),
            seed_lines=(int(lines[0]), int(lines[1])) if lines else None,
            stage_sebelum=_stage_before(table, stage, file, where),
            tanggal_sebelum=_date(table["tanggal_sebelum"], file, where, "tanggal_sebelum") if "tanggal_sebelum" in table
            else None,
        ))
    if not tables:
        raise ImportFailed(file, None, "tabel", "no [[tabel]] entries: nothing to import")
    return DocumentSpec(
        kind=_kind(_require(data, "kind", file, "the document kind"), file),
        judul=str(_require(data, "judul", file, "the document's title")),
        tanggal=tanggal,
        opd=str(_require(data, "opd", file, "the OPD name")),
        tahun=_year(_require(data, "tahun", file, "the plan year"), file),
        penandatangan=_optional_text(data, "penandatangan", file),
        nomor=str(data.get("nomor", "")), jabatan=data.get("jabatan"), sumber=data.get("sumber"),
        tanggal_dasar=str(data["tanggal_dasar"]) if data.get("tanggal_dasar") else None,
        **{key: str(data[key]) for key in ("tempat", "pangkat", "nip") if data.get(key)},
        tables=tuple(tables),
    )


def document_spec(path: Path, *, kind: str | None, judul: str | None, tanggal: str | None, opd: str | None,
                  tahun: int | None, penandatangan: str | None, stage: Stage, table: str, nomor: str,
                  option: str = "--", layout: str = "budget") -> DocumentSpec:
    """A folder with document.toml, or one CSV/XLSX file described by its document's fields
    (options on the command line, ``option`` their prefix in messages; form fields on the web)."""
    if path.is_dir():
        spec = load_manifest(path)
        # --opd/--tahun name a plan; a folder names its own in document.toml. They must agree.
        for option_name, given, stated in ((option + "opd", opd, spec.opd), (option + "tahun", tahun, spec.tahun)):
            if given is not None and given != stated:
                raise ImportFailed(str(path / "document.toml"), None, "opd" if option_name.endswith("opd") else "tahun",
                                   f"the document is for {stated!r}, but {option_name} {given!r} was given")
        return spec
    if not path.exists():
        raise ImportFailed(str(path), None, None, "no such file or folder")
    for name, given in (("opd", opd), ("penandatangan", penandatangan), ("judul", judul)):
        if given is not None and not given.strip():
            raise ImportFailed(str(path), None, option + name, "blank: give it as printed, or leave it out")
    missing = [option + name for name, value in (("kind", kind), ("tanggal", tanggal), ("opd", opd), ("tahun", tahun))
               if not value]
    if missing:
        raise ImportFailed(str(path), None, None, f"a single table file needs {', '.join(missing)} (or a folder with document.toml)")
    try:
        signed = date.fromisoformat(str(tanggal))
    except ValueError:
        raise ImportFailed(str(path), None, option + "tanggal", f"{tanggal!r} is not a date YYYY-MM-DD") from None
    try:
        document_kind = DocumentKind(str(kind))
    except ValueError:
        raise ImportFailed(str(path), None, option + "kind", f"expected one of {', '.join(k.value for k in DocumentKind)}") from None
    assert opd is not None and tahun is not None
    if layout not in LAYOUTS:
        raise ImportFailed(str(path), None, option + "layout", f"{layout!r} is not one of {', '.join(LAYOUTS)}")
    return DocumentSpec(kind=document_kind, judul=judul or path.stem, tanggal=signed, opd=opd, tahun=tahun,
                        penandatangan=penandatangan, nomor=nomor,
                        tables=(TableSpec(id=table, path=path, layout=layout, stage=stage),))
