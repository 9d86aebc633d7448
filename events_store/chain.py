"""The tamper-evidence hash chain.

``hash`` is SHA-256 over the previous hash and the event as stored (originator id,
version, topic, state bytes), so editing any stored event breaks the chain from that
event on. The time index (``time_index``) keeps each event's link beside it.
"""

from __future__ import annotations

import hashlib

from eventsourcing.persistence import StoredEvent

GENESIS = "0" * 64


def event_hash(prev_hash: str, stored: StoredEvent) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode())
    digest.update(f"|{stored.originator_id}|{stored.originator_version}|{stored.topic}|".encode())
    digest.update(bytes(stored.state))
    return digest.hexdigest()
