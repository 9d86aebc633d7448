"""The revisions the code knows without loading Alembic (events_store.schema) are the ones on disk,
and what each state of a ledger allows."""

from __future__ import annotations

import pytest

from events_store import migrations
from events_store.schema import BASELINE, HEAD, REVISIONS, SchemaState, refusal


def test_the_known_revisions_are_the_migrations_on_disk() -> None:
    assert migrations.revisions() == list(REVISIONS)
    assert migrations.heads() == [HEAD]
    assert REVISIONS[0] == BASELINE


@pytest.mark.parametrize(("state", "writable", "needs_upgrade", "effective"), [
    (SchemaState(has_ledger=False, versioned=False, revision=None), True, False, None),  # a new ledger is created at the head
    (SchemaState(has_ledger=True, versioned=True, revision=HEAD), True, False, HEAD),
    (SchemaState(has_ledger=True, versioned=False, revision=None), False, True, BASELINE),  # made before schema versions
    (SchemaState(has_ledger=True, versioned=True, revision="9999"), False, False, "9999"),  # a later release's
])
def test_what_each_state_allows(state: SchemaState, writable: bool, needs_upgrade: bool, effective: str | None) -> None:
    assert (refusal(state) is None) == writable
    assert state.needs_upgrade == needs_upgrade
    assert state.effective == effective
    if not writable:
        assert "nothing was written" in str(refusal(state))
        assert ("renja db upgrade" in str(refusal(state))) == state.known


def test_a_new_ledgers_rare_index_is_the_one_the_latest_revision_of_it_makes() -> None:
    """A new ledger is created by the recorders (time_index.ddl), an older one is upgraded by the
    revisions: both must end with the same partial index, the one the queries' predicate names."""
    from events_store.migrations.versions.v0003_rare_index import TYPES
    from events_store.time_index import RARE_NAMES, ddl

    assert tuple(sorted(RARE_NAMES)) == TYPES
    assert any(f"WHERE event_type IN ({', '.join(repr(name) for name in TYPES)})" in statement for statement in ddl("INTEGER"))
