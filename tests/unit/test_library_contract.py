"""The contract with the eventsourcing library that the application relies on beyond its public
API (docs/architecture.md, "The library contract"). ``RenjaLedger._save_aggregates`` takes the
steps of ``Application.save`` itself, without the library's per-aggregate protocol checks (about
8 µs an event of a bulk import): if a release changes those steps, this fails before any ledger
is written differently."""

from __future__ import annotations

import inspect
import re
from importlib.metadata import version

from eventsourcing.application import Application, ProcessingEvent

from ledger.application.app import RenjaLedger

STEPS = ("self._record(processing_event)", "self._take_snapshots(processing_event)", "self._notify(recordings)")


def test_the_pinned_release_is_the_one_the_contract_was_read_from() -> None:
    major, minor, _patch = (int(part) for part in re.findall(r"\d+", version("eventsourcing"))[:3])
    assert (major, minor) == (9, 5), "read Application.save of the new release and update _save_aggregates"


def test_application_save_takes_the_steps_the_ledger_repeats_in_this_order() -> None:
    source = inspect.getsource(Application.save)
    positions = [source.index(step) for step in STEPS]
    assert positions == sorted(positions)
    assert "processing_event.collect_events(" in source
    ours = inspect.getsource(RenjaLedger._save_aggregates)
    assert [ours.index(step) for step in STEPS] == sorted(ours.index(step) for step in STEPS)


def test_the_private_steps_keep_their_signatures() -> None:
    assert list(inspect.signature(Application._record).parameters) == ["self", "processing_event"]
    assert list(inspect.signature(Application._take_snapshots).parameters) == ["self", "processing_event"]
    assert list(inspect.signature(Application._notify).parameters) == ["self", "recordings"]
    event = ProcessingEvent()
    assert hasattr(event, "events") and hasattr(event, "aggregates") and hasattr(event, "saved_kwargs")
