"""Where the evidence files (ledger.bukti) are kept: content-addressed, by their SHA-256.

**Writing.** A command's files (``lampiran``) travel with the save of its events: the
application hands them to the recorder with the events (``RenjaLedger._save_aggregates``: the
save's ``evidence``), and the recorder stores them in the **same transaction** as the events that
name them, as it does the time index (``events_store.evidence``). A refused command stores no
file; a stored file is never changed: storing a content that is kept already does nothing.

**Reading.** ``EvidenceStore`` is how a file is read back by its hash (the read side, `renja
verify`, `renja bukti get`): ``events_store.evidence.SqlEvidenceStore`` over the ledger's
database; the unit tests' in-memory ledger keeps its files in a dict (tests/unit/fakes.py).
Nothing writes through it: a file is stored only with the events that name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ledger.bukti import Lampiran


@dataclass(frozen=True)
class StoredFile:
    """A file as the store keeps it: by its hash, with its type and size as stored."""

    sha256: str
    jenis: str
    ukuran: int
    isi: bytes


class EvidenceStore(Protocol):
    def get(self, sha256: str) -> StoredFile | None:
        """The file kept under this hash, or None."""


def files_of(command: Any) -> tuple[Lampiran, ...]:
    """The files a command carries (only some commands carry any), each content once."""
    found: dict[str, Lampiran] = {}
    for item in getattr(command, "lampiran", ()):
        found.setdefault(item.berkas.sha256, item)
    return tuple(found.values())
