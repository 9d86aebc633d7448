"""The document manifest (document.toml) and its tables."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ledger.application.importing.layouts import LAYOUTS
from ledger.application.importing.spec import DocumentSpec, TableSpec
from ledger.basis import Stage
from ledger.bukti import Lampiran
from ledger.document import DocumentKind
from ledger.errors import ImportFailed, InvalidValue, LedgerError
from ledger.i18n import _
from ledger.kodefikasi import Kodefikasi
from ledger.plan_years import outside_plan_years
from ledger.tanggal import check_zone
from ledger.text import check_text

# A manifest is a page of TOML; a larger one is not a manifest (a pasted table, a 10 MB title),
# refused before it is parsed.
MAX_MANIFEST_BYTES = 64 * 1024


def _require(data: dict[str, Any], key: str, file: str, expected: str) -> Any:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ImportFailed(file, None, key, f"missing or blank; expected {expected}")
    return _checked(value.strip(), file, key) if isinstance(value, str) else value


def _checked(value: str, file: str, key: str, where: str | None = None) -> str:
    """A manifest's text under the ledger's one text policy, the error naming the file and key."""
    try:
        return check_text(value, key)
    except InvalidValue as error:
        raise ImportFailed(file, where, key, error.expected) from None


def _text(data: dict[str, Any], key: str, file: str) -> str | None:
    """An optional text as written (a TOML string), or None when absent."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a NIP or a nomor written without quotes
    if not isinstance(value, str):
        raise ImportFailed(file, None, key, _("expected a text in quotes, got {value!r}").format(value=value))
    return _checked(value, file, key)


def _optional_text(data: dict[str, Any], key: str, file: str) -> str | None:
    """A text the document may not print (a signature): absent, or given as printed; never blank."""
    if key not in data:
        return None
    value = (_text(data, key, file) or "").strip()
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


def _kodefikasi(value: Any, file: str, key: str) -> Kodefikasi | None:
    """The codes a document prints, when it says (else its tahun decides: ledger.kodefikasi)."""
    if value is None:
        return None
    try:
        return Kodefikasi(str(value).strip())
    except ValueError:
        raise ImportFailed(file, None, key, _("{value!r} is not one of {choices}; leave it out to take the codes of "
                                              "the plan year").format(
            value=value, choices=", ".join(k.value for k in Kodefikasi))) from None


# The stage a before/after form's *sebelum* columns state when the manifest names none.
STAGE_BEFORE = {Stage.PERUBAHAN: Stage.MURNI}


def _date(value: Any, file: str, where: str | None, key: str) -> date:
    # TOML's datetime is a date too (2025-01-02T10:00:00): a document is dated by a day.
    if not isinstance(value, date) or isinstance(value, datetime):
        shown = value.isoformat() if isinstance(value, date) else repr(value)
        raise ImportFailed(file, where, key, _("{value} is not a date; write it as 2024-08-01 (no quotes, no time)").format(
            value=shown))
    return value


def _plan_date(day: date, tahun: int, file: str, where: str | None, key: str) -> date:
    problem = outside_plan_years(tahun, day, _("the date"), overridable=False)
    if problem:
        raise ImportFailed(file, where, key, problem + " [date-outside-plan-years]")
    return day


def _table_path(folder: Path, value: str, file: str, where: str) -> Path:
    """A table's file, inside the document's folder: no absolute path, no '..', and no symbolic
    link that leads out of it (a manifest must not make the ledger read another file of the machine)."""
    relative = Path(value)
    if relative.is_absolute() or ".." in relative.parts or value.startswith(("/", "\\")) or "\\" in value:
        raise ImportFailed(file, where, "file", _("{value!r} is not a file name inside the document's folder").format(
            value=value))
    path = folder / relative
    try:
        inside = path.resolve(strict=False).is_relative_to(folder.resolve(strict=True))
    except OSError as error:
        raise ImportFailed(file, where, "file", str(error.strerror or error)) from None
    if not inside:
        raise ImportFailed(file, where, "file", _("{value!r} leads out of the document's folder (a symbolic link); "
                                                  "copy the file into the folder").format(value=value))
    return path


def _files(data: dict[str, Any], folder: Path, file: str) -> tuple[Lampiran, ...]:
    """``berkas = ["sk-renja.pdf", ...]``: the document's scan and what goes with it, files inside its folder."""
    names = data.get("berkas", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ImportFailed(file, None, "berkas", _('expected a list of file names, e.g. berkas = ["sk-renja.pdf"]'))
    return tuple(Lampiran.read(_table_path(folder, name, file, "berkas")) for name in names)


def _zone(data: dict[str, Any], file: str) -> str | None:
    """``zona_waktu = "WITA"``: the office's time zone, in which its recording times are shown."""
    value = _text(data, "zona_waktu", file)
    if not value:
        return None
    try:
        return check_zone(value)
    except LedgerError as error:
        raise ImportFailed(file, None, "zona_waktu", str(error)) from None


def _tables(data: dict[str, Any], file: str) -> list[Any]:
    tables = data.get("tabel", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise ImportFailed(file, None, "tabel", _("expected [[tabel]] entries (an array of tables), one per table"))
    return tables


def _seed_lines(value: Any, file: str, where: str) -> tuple[int, int] | None:
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in value)):
        raise ImportFailed(file, where, "seed_lines", _("expected two line numbers, e.g. [12, 40]"))
    return int(value[0]), int(value[1])


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
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise ImportFailed(file, None, None, _("larger than {limit} KB: a document.toml describes a document and "
                                                   "its tables, it holds no data").format(limit=MAX_MANIFEST_BYTES // 1024))
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ImportFailed(file, None, None, _("not UTF-8 text: save it as UTF-8")) from None
    except tomllib.TOMLDecodeError as error:
        raise ImportFailed(file, None, None, f"not valid TOML: {error}") from None
    tanggal = _date(_require(data, "tanggal", file, "the signing date, e.g. 2024-08-01 (when none is printed, the date "
                                                  "the document can be dated by, with tanggal_dasar saying how)"),
                    file, None, "tanggal")
    tahun = _year(_require(data, "tahun", file, "the plan year"), file)
    _plan_date(tanggal, tahun, file, None, "tanggal")
    tables = []
    for number, table in enumerate(_tables(data, file), start=1):
        where = f"[[tabel]] #{number}"
        layout = _require(table, "layout", file, "|".join(LAYOUTS))
        if layout not in LAYOUTS:
            raise ImportFailed(file, where, "layout", f"{layout!r} is not one of {', '.join(LAYOUTS)}")
        stage = _stage(table["stage"], file, where) if "stage" in table else None
        if LAYOUTS[layout].needs_stage and stage is None:
            raise ImportFailed(file, where, "stage", f"a {layout} table needs the stage its figures belong to")
        tables.append(TableSpec(
            id=str(_require(table, "id", file, "the table's name, e.g. 'Tabel 3.2'")),
            path=_table_path(folder, str(_require(table, "file", file, "a .csv or .xlsx file name")), file, where),
            layout=layout, stage=stage, sheet=_text(table, "sheet", file),
            seed_lines=_seed_lines(table.get("seed_lines"), file, where),
            stage_sebelum=_stage_before(table, stage, file, where),
            tanggal_sebelum=_plan_date(_date(table["tanggal_sebelum"], file, where, "tanggal_sebelum"), tahun, file, where,
                                       "tanggal_sebelum") if "tanggal_sebelum" in table else None,
        ))
    if not tables:
        raise ImportFailed(file, None, "tabel", "no [[tabel]] entries: nothing to import")
    return DocumentSpec(
        kind=_kind(_require(data, "kind", file, "the document kind"), file),
        judul=str(_require(data, "judul", file, "the document's title")),
        tanggal=tanggal,
        opd=str(_require(data, "opd", file, "the OPD name")),
        tahun=tahun,
        penandatangan=_optional_text(data, "penandatangan", file),
        nomor=_text(data, "nomor", file) or "", jabatan=_text(data, "jabatan", file), sumber=_text(data, "sumber", file),
        tanggal_dasar=_text(data, "tanggal_dasar", file) or None,
        **{key: value for key in ("tempat", "pangkat", "nip") if (value := _text(data, key, file))},
        tables=tuple(tables), kodefikasi=_kodefikasi(data.get("kodefikasi"), file, "kodefikasi"),
        lampiran=_files(data, folder, file), zona_waktu=_zone(data, file),
    )


def document_spec(path: Path, *, kind: str | None, judul: str | None, tanggal: str | None, opd: str | None,
                  tahun: int | None, penandatangan: str | None, stage: Stage, table: str, nomor: str,
                  option: str = "--", layout: str = "budget", kodefikasi: str | None = None) -> DocumentSpec:
    """A folder with document.toml, or one CSV/XLSX file described by its document's fields
    (options on the command line, ``option`` their prefix in messages; form fields on the web)."""
    if path.is_dir():
        if kodefikasi is not None:  # a folder's document.toml says which codes it prints
            raise ImportFailed(str(path), None, option + "kodefikasi", _("is for a single table; a folder gives "
                                                                          "kodefikasi in its document.toml"))
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
    _plan_date(signed, tahun, str(path), None, option + "tanggal")
    if layout not in LAYOUTS:
        raise ImportFailed(str(path), None, option + "layout", f"{layout!r} is not one of {', '.join(LAYOUTS)}")
    return DocumentSpec(kind=document_kind, judul=judul or path.stem, tanggal=signed, opd=opd, tahun=tahun,
                        penandatangan=penandatangan, nomor=nomor,
                        tables=(TableSpec(id=table, path=path, layout=layout, stage=stage),),
                        kodefikasi=_kodefikasi(kodefikasi, str(path), option + "kodefikasi"))
