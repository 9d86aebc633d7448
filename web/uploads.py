"""Uploaded files on the server: the limits every upload keeps, a zip unpacked safely into a
private folder, and uploads kept between a preview and its save.

A SIPD snapshot or a document (Impor) is previewed, then saved (or compared, then downloaded) in
a second request, and a browser cannot send a file again by itself: the unpacked upload stays in a private
folder of the server (mode 0700, one per upload, named by an unguessable token) for its
uploader only, until it is saved, replaced or an hour old. The folders go when the
application ends. ``renja serve`` runs one process, so one table of uploads serves every
request.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import shutil
import tempfile
import threading
import time
import weakref
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ledger.errors import ImportFailed
from ledger.i18n import _
from web.common import CURRENT

MAX_UPLOAD = 20 * 1024 * 1024  # bytes of one upload, and of everything a zip unpacks to
MAX_FILES = 200  # files in one zip
LIFETIME_SECONDS = 3600.0  # an upload kept for its save or download
MAX_KEPT, MAX_KEPT_PER_OWNER = 32, 4  # the oldest goes first
TABLE_SUFFIXES = (".csv", ".xlsx")  # a document given as one table, kept as it came
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def extract(content: bytes, name: str, target: Path) -> None:
    """A zip's files under ``target``, refusing paths that leave it and archives that unpack to
    more than MAX_FILES files or MAX_UPLOAD bytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise ImportFailed(name, None, None, _("not a zip archive")) from None
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_FILES or sum(info.file_size for info in members) > MAX_UPLOAD:
        raise ImportFailed(name, None, None, _("the archive unpacks to more than {files} files or {limit} MB").format(
            files=MAX_FILES, limit=MAX_UPLOAD // 2**20))
    for info in members:
        parts = Path(info.filename).parts
        if info.filename.startswith(("/", "\\")) or ".." in parts or not parts:
            raise ImportFailed(name, None, None, _("{member!r}: a path outside the archive's folder").format(
                member=info.filename))
        destination = target.joinpath(*parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(info) as source:
                data = source.read(MAX_UPLOAD + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as error:
            raise ImportFailed(name, None, None, f"{info.filename}: {error}") from None
        if len(data) > MAX_UPLOAD:
            raise ImportFailed(name, None, None, _("the archive unpacks to more than {limit} MB").format(
                limit=MAX_UPLOAD // 2**20))
        destination.write_bytes(data)


def shown(message: str, folder: Path | str) -> str:
    """An error as the user knows the files: without the server's folder."""
    text = str(folder)
    return message.replace(text + "/", "").replace(text, "")


def upload_owner() -> tuple[str, str]:
    """Whose an upload is: the account (or the local user) and the session of this request."""
    visitor = CURRENT.get()
    return (visitor.actor.name if visitor.actor else "", visitor.token or "")


@dataclass(frozen=True)
class Upload:
    """One kept upload: its unpacked files under ``folder``, the file's name and sha256."""

    token: str
    folder: Path
    name: str
    sha256: str
    owner: tuple[str, str]
    received: datetime  # UTC, without its zone (as a sync's instant is kept)
    kept_since: float


class Uploads:
    """The uploads kept between two requests, each for its owner (the account and the session)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="renja-unggahan-"))  # mode 0700: the server's user only
        self._kept: dict[str, Upload] = {}
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.root, ignore_errors=True)

    def keep(self, content: bytes, name: str, owner: tuple[str, str]) -> Upload:
        """Unpack a zip upload (a SIPD snapshot) into a new private folder; the oldest uploads go past
        the limits. A bad archive is refused (ImportFailed) and leaves nothing behind."""
        if Path(name).suffix.lower() != ".zip":
            raise ImportFailed(name, None, None, _("expected a .zip of a SIPD snapshot folder (one CSV file per table)"))
        return self._keep(content, name, owner)

    def keep_document(self, content: bytes, name: str, owner: tuple[str, str]) -> Upload:
        """A document to import: a zip of its folder, unpacked, or one .csv/.xlsx table, kept as it came
        (``Upload.folder / Upload.name``)."""
        if Path(name).suffix.lower() not in (".zip", *TABLE_SUFFIXES):
            raise ImportFailed(name, None, None, _("expected a .zip of a document folder, or a .csv or .xlsx table"))
        return self._keep(content, name, owner)

    def _keep(self, content: bytes, name: str, owner: tuple[str, str]) -> Upload:
        if len(content) > MAX_UPLOAD:
            raise ImportFailed(name, None, None, _("larger than {limit} MB").format(limit=MAX_UPLOAD // 2**20))
        token = secrets.token_urlsafe(24)
        folder = self.root / token
        folder.mkdir(mode=0o700)
        try:
            if Path(name).suffix.lower() == ".zip":
                extract(content, name, folder)
            else:
                (folder / name).write_bytes(content)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        upload = Upload(token, folder, name, hashlib.sha256(content).hexdigest(), owner,
                        datetime.now(UTC).replace(tzinfo=None, microsecond=0), time.monotonic())
        with self._lock:
            self._expire()
            self._kept[token] = upload
            mine = sorted((u for u in self._kept.values() if u.owner == owner), key=lambda u: u.kept_since)
            gone = mine[:-MAX_KEPT_PER_OWNER]
            rest = sorted((u for u in self._kept.values() if u not in gone), key=lambda u: u.kept_since)
            gone += rest[:-MAX_KEPT]
            for old in gone:
                self._drop(old.token)
        return upload

    def get(self, token: str, owner: tuple[str, str]) -> Upload | None:
        """The upload of ``token`` when it is this owner's and still kept."""
        if not _TOKEN.match(token or ""):
            return None
        with self._lock:
            self._expire()
            upload = self._kept.get(token)
        return upload if upload is not None and upload.owner == owner else None

    def drop(self, token: str) -> None:
        with self._lock:
            self._drop(token)

    def _drop(self, token: str) -> None:
        upload = self._kept.pop(token, None)
        if upload is not None:
            shutil.rmtree(upload.folder, ignore_errors=True)

    def _expire(self) -> None:
        now = time.monotonic()
        for token in [t for t, u in self._kept.items() if now - u.kept_since > LIFETIME_SECONDS]:
            self._drop(token)
