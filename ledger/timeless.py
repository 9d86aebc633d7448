"""Identity, not decision: the events that apply at every valid time once the ledger knows them.

A line's opening and its kode identify it; they are not decisions that take force on a
date. Which document happened to open a line depends on the order documents were loaded,
so the opening must not decide when the line exists: a line exists in valid time from
its first statement in force (``LineState.in_force``). A report of the Rencana Aksi at
2024-03-01 may print a kode first printed in August.
"""

from __future__ import annotations

from ledger.line_events import events_where
from ledger.plan import LineKodeRecorded, LineRegistered, PlanOpened

IDENTITY_EVENTS: tuple[type, ...] = events_where("identity")  # of a budget line (LineOpened, KodeRecorded)
TIMELESS_EVENTS: tuple[type, ...] = (*IDENTITY_EVENTS, PlanOpened, LineRegistered, LineKodeRecorded)
# How the ledger came to know a line's identity: depends on which document was loaded first.
NAMING_EVENTS: tuple[type, ...] = (*IDENTITY_EVENTS, *events_where("naming"))
# Events that put no line in force: its identity, and the bookkeeping of a sync (SipdFactsStated).
NEUTRAL_EVENTS: tuple[type, ...] = (*IDENTITY_EVENTS, *events_where("bookkeeping"))
