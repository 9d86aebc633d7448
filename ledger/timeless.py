"""Identity, not decision: the events that apply at every valid time once the ledger knows them.

A kode identifies a line; it is not a decision that takes force on a date. A report of
the Rencana Aksi at 2024-03-01 may therefore print a kode first printed in August.
"""

from __future__ import annotations

from ledger.line_events import KodeRecorded
from ledger.plan import LineKodeRecorded

TIMELESS_EVENTS: tuple[type, ...] = (KodeRecorded, LineKodeRecorded)
