"""Evidence files (bukti): the scan of an SK, a DPPA, the minutes of a meeting, behind a step.

A proposal, its decision and a finding's follow-up may carry files. The ledger keeps each file's
content once, addressed by its SHA-256 (``events_store.evidence``), and the event names it by
that hash (``Berkas``): the hash chain covers the event, so it covers which content the step
rests on, and `renja verify` checks that the stored content still hashes to it.

Only what an office files as evidence is taken, recognised by its first bytes (not by its name,
which anyone can change): a PDF, a JPEG or PNG image, or an XLSX workbook; never an empty file,
never one above ``MAX_BYTES``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from ledger.basis import Frozen
from ledger.errors import InvalidValue, LedgerError
from ledger.i18n import _
from ledger.text import check_text, escaped

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: the largest file taken
MAX_FILE_NAME = 255  # characters of a file's name (most file systems allow no more)
SHA256 = re.compile("^[0-9a-f]{64}$")

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = (PDF, JPEG, PNG, XLSX)
# What each type's content begins with. An XLSX is a ZIP archive: any ZIP begins so, so a ZIP is
# taken as a workbook only when its name says it is one.
MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"PK\x03\x04", XLSX))


class FileRefused(LedgerError):
    """A file that may not be kept as evidence: named, with why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        # As given, but inert (a name refused for its control characters is not printed with them),
        # and a long one by its end, where a path has the file's own name.
        shown = escaped(name if len(name) <= 80 else "..." + name[-77:])
        super().__init__(_("evidence file {name}: {reason}; nothing was written").format(name=shown, reason=reason))


def check_file_name(value: str, field: str = "nama") -> str:
    """A file's name as given: the text policy (``ledger.text``), printable, not blank, without
    spaces at either end, and a name only (no folder)."""
    check_text(value, field, limit=MAX_FILE_NAME)
    if not value.strip() or value != value.strip() or not value.isprintable() or any(c in value for c in "/\\"):
        raise InvalidValue(field, value, _("a file name that is printable, not blank, without spaces at either end "
                                           "and without a folder"))
    return value


class Berkas(Frozen):
    """A file as the event names it: its content's SHA-256, its name as given, its size and type."""

    sha256: str
    nama: str
    ukuran: int = Field(ge=1, le=MAX_BYTES)  # bytes
    jenis: str  # its media type (MEDIA_TYPES)

    @field_validator("sha256")
    @classmethod
    def check_hash(cls, value: str) -> str:
        if not SHA256.match(value):
            raise InvalidValue("sha256", value[:70], _("the 64 lowercase hex digits of a SHA-256"))
        return value

    @field_validator("nama")
    @classmethod
    def check_name(cls, value: str) -> str:
        return check_file_name(value)

    @field_validator("jenis")
    @classmethod
    def check_type(cls, value: str) -> str:
        if value not in MEDIA_TYPES:
            raise InvalidValue("jenis", value, _("one of {types}").format(types=", ".join(MEDIA_TYPES)))
        return value

    @property
    def short(self) -> str:
        """How people name it beside its name: the first 12 hex digits of its hash."""
        return self.sha256[:12]


class Lampiran(Frozen):
    """A file a command carries: what its event will name, and the content to keep."""

    berkas: Berkas
    isi: bytes

    @model_validator(mode="after")
    def check_content(self) -> Lampiran:
        if len(self.isi) != self.berkas.ukuran or hashlib.sha256(self.isi).hexdigest() != self.berkas.sha256:
            raise FileRefused(self.berkas.nama, _("its content is not the content its hash and size name"))
        return self

    @classmethod
    def of(cls, nama: str, isi: bytes) -> Lampiran:
        berkas, content = berkas_of(nama, isi)
        return cls(berkas=berkas, isi=content)

    @classmethod
    def read(cls, path: Path) -> Lampiran:
        berkas, content = read_berkas(path)
        return cls(berkas=berkas, isi=content)


def media_type(content: bytes, nama: str) -> str | None:
    """The type its first bytes say (a ZIP only as an XLSX named so); None when not one taken."""
    for magic, jenis in MAGIC:
        if content.startswith(magic):
            return None if jenis == XLSX and not nama.lower().endswith(".xlsx") else jenis
    return None


def berkas_of(nama: str, content: bytes, *, shown: str | None = None) -> tuple[Berkas, bytes]:
    """A file's content given with its name: what its event names, and the content; refused
    (``FileRefused``, naming it, or as ``shown``: the path it was read from) when empty, too large
    or of a type not taken."""
    where = shown or nama
    try:
        check_file_name(nama)
    except InvalidValue as error:
        raise FileRefused(where, error.expected) from None
    if not content:
        raise FileRefused(where, _("the file is empty"))
    if len(content) > MAX_BYTES:
        raise FileRefused(where, _("{size} bytes, more than the {limit} MB a file may have").format(
            size=len(content), limit=MAX_BYTES // (1024 * 1024)))
    jenis = media_type(content, nama)
    if jenis is None:
        raise FileRefused(where, _("not a PDF, JPEG, PNG or XLSX file (by its first bytes): only these are kept as "
                                   "evidence"))
    berkas = Berkas(sha256=hashlib.sha256(content).hexdigest(), nama=nama, ukuran=len(content), jenis=jenis)
    return berkas, content


def read_berkas(path: Path) -> tuple[Berkas, bytes]:
    """The file at ``path``, by the name it has there: (what its event names, its content).
    A file above the limit is refused before it is read."""
    try:
        if not path.is_file():
            raise FileRefused(str(path), _("no such file"))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FileRefused(str(path), _("{size} bytes, more than the {limit} MB a file may have").format(
                size=size, limit=MAX_BYTES // (1024 * 1024)))
        content = path.read_bytes()
    except OSError as error:
        raise FileRefused(str(path), _("cannot be read ({error})").format(error=error.strerror or error)) from None
    return berkas_of(path.name, content, shown=str(path))


def berkas_of_all(lampiran: tuple[Lampiran, ...]) -> tuple[Berkas, ...]:
    """What the event names of the files a command carries, in the order given."""
    return tuple(item.berkas for item in lampiran)
