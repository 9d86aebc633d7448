"""The log's integrity as `renja verify`, `import-events` and the web's Integritas page check it:
the hash chain of every stored event (``events_store.integrity``), what is read beside the
events (the time index and the line register), the read model refolded against them, and every
evidence file an event names, against the store (``projections.bukti``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from events_store.evidence import SqlEvidenceStore
from events_store.integrity import ChainStatus, ExpectedHead, ensure_empty, read_export, verify_chain
from events_store.time_index import TimeIndex
from ledger.application import RenjaLedger
from ledger.application.evidence import EvidenceStore
from ledger.errors import LedgerError
from projections.bukti import verify_files
from projections.current import CurrentStateProjection


@dataclass(frozen=True)
class Verified:
    chain: ChainStatus
    lines: int  # the read model's lines, each refolded from its events and found equal
    position: int  # the last event the read model has folded ...
    last: int  # ... and the log's last (it catches up at the next write or rebuild)
    files: int = 0  # the evidence files the events name, each found as named


def verify_ledger(index: TimeIndex, current: CurrentStateProjection, expect: ExpectedHead | None,
                  evidence: EvidenceStore | None = None) -> Verified:
    """Raises ``ChainBroken`` at the first difference (the files: naming every one that differs)."""
    chain = verify_chain(index, expect)
    lines = current.verify()
    files = verify_files(index, evidence or SqlEvidenceStore(index.engine))
    return Verified(chain, lines, *current.positions(), files=files)


def load_export(app: RenjaLedger, index: TimeIndex, path: Path, expect: ExpectedHead | None) -> ChainStatus:
    """An export loaded into an empty ledger; a truncated, edited or forged file is refused before
    anything is written."""
    events, status, files = read_export(path, expect)
    ensure_empty(index)
    app.recorder.insert_events(events, evidence=files)  # one transaction: the events with their files
    check = verify_chain(index)
    if check.head != status.head:  # pragma: no cover - the recorder recomputes the same chain
        raise LedgerError(f"imported chain head {check.head} differs from the file's {status.head}")
    return status
