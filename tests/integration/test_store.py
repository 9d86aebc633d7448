"""Writing and reading back through a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

from datetime import date

import pytest

from events_store.bootstrap import open_ledger
from ledger.application import RenjaLedger, UnitOfWork
from ledger.application.commands import RevisePagu, ShiftPagu
from ledger.application.handlers import shift_pagu
from ledger.basis import Basis, Source, Stage
from ledger.errors import ConcurrentUpdate, RuleViolated
from ledger.kode import Level
from ledger.line import BudgetLine, line_id
from ledger.money import Rupiah

KODES = [("7.01", Level.BIDANG, None), ("7.01.01", Level.PROGRAM, "7.01"),
         ("7.01.01.2.06", Level.KEGIATAN, "7.01.01"), ("7.01.01.2.06.08", Level.SUB_KEGIATAN, "7.01.01.2.06"),
         ("7.01.01.2.06.09", Level.SUB_KEGIATAN, "7.01.01.2.06")]


def ledger_app(url: str, user: str | None = None) -> RenjaLedger:
    # On PostgreSQL who records is the connection's database role: no name is given.
    return open_ledger(url, user=user if "://" not in url else None).app


def seeded(url: str) -> RenjaLedger:
    app = ledger_app(url, user="tester")
    basis = Basis(effective_on=date(2024, 1, 3), recorded_by=app.user, reason="seed", source=Source(command="test"))

    def seed(uow: UnitOfWork) -> None:
        plan = uow.plan_or_open("K", 2024, basis)
        for kode, level, parent in KODES:
            line = uow.open_line(plan, key=kode, kode=kode, level=level, nama=f"line {kode}", parent_key=parent, basis=basis)
            if level is Level.SUB_KEGIATAN:
                line.set_pagu(Stage.MURNI, Rupiah(1_000_000), basis)

    app.run_unit_of_work(seed)
    return app


def pagu(app: RenjaLedger, kode: str) -> int | None:
    line = app.repository.get(line_id("K", 2024, kode))
    assert isinstance(line, BudgetLine)
    return line.state.pagu(Stage.MURNI)


def command(**fields: object) -> dict[str, object]:
    return {"opd": "K", "tahun": 2024, "effective_on": date(2024, 3, 1), "reason": "pergeseran SK 12/2024",
            "source": Source(command="test"), **fields}


def test_events_read_back_with_their_basis(db_url: str) -> None:
    app = seeded(db_url)
    app.handle(RevisePagu(line="7 01 01 2.06 08", stage=Stage.MURNI, rupiah=Rupiah(1_250_000), **command()))
    reopened = ledger_app(db_url)
    line = reopened.repository.get(line_id("K", 2024, "7.01.01.2.06.08"))
    revision = line.facts[-1]
    assert type(revision).__name__ == "PaguRevised"
    assert revision.rupiah == 1_250_000 and revision.previous == 1_000_000
    # SQLite: the name given; PostgreSQL: the connection's database role.
    assert revision.basis.reason == "pergeseran SK 12/2024"
    assert revision.basis.recorded_by == ("postgres" if "://" in db_url else "tester")
    assert revision.basis.effective_on == date(2024, 3, 1)
    assert revision.recorded_at.tzinfo is not None


def test_a_shift_moves_money_between_two_lines_atomically(db_url: str) -> None:
    app = seeded(db_url)
    app.handle(ShiftPagu(from_line="7.01.01.2.06.08", to_line="7.01.01.2.06.09", stage=Stage.MURNI,
                         rupiah=Rupiah(400_000), **command()))
    assert (pagu(app, "7.01.01.2.06.08"), pagu(app, "7.01.01.2.06.09")) == (600_000, 1_400_000)


def test_a_shift_that_fails_on_one_side_writes_nothing(db_url: str) -> None:
    app = seeded(db_url)
    before = app.recorder.max_notification_id()
    with pytest.raises(RuleViolated, match="cannot give"):
        app.handle(ShiftPagu(from_line="7.01.01.2.06.08", to_line="7.01.01.2.06.09", stage=Stage.MURNI,
                             rupiah=Rupiah(1_000_001), **command()))
    assert app.recorder.max_notification_id() == before
    assert (pagu(app, "7.01.01.2.06.08"), pagu(app, "7.01.01.2.06.09")) == (1_000_000, 1_000_000)


def test_a_save_that_fails_in_the_database_leaves_both_lines_unchanged(db_url: str) -> None:
    """The giving side is written by another writer first: the whole pergeseran is refused."""
    app = seeded(db_url)
    other = ledger_app(db_url, user="other")
    shift = ShiftPagu(from_line="7.01.01.2.06.08", to_line="7.01.01.2.06.09", stage=Stage.MURNI,
                      rupiah=Rupiah(100_000), **command())

    def interleaved(uow):  # type: ignore[no-untyped-def]
        result = shift_pagu(uow, shift)
        other.handle(RevisePagu(line="7.01.01.2.06.08", stage=Stage.MURNI, rupiah=Rupiah(900_000), **command()))
        return result

    before = app.recorder.max_notification_id()
    with pytest.raises(ConcurrentUpdate, match="another writer"):
        app.run_unit_of_work(interleaved)
    assert app.recorder.max_notification_id() == before + 1  # only the other writer's revision
    assert (pagu(app, "7.01.01.2.06.08"), pagu(app, "7.01.01.2.06.09")) == (900_000, 1_000_000)


def test_a_line_under_a_missing_parent_is_refused_and_nothing_is_written(db_url: str) -> None:
    app = seeded(db_url)
    basis = Basis(effective_on=date(2024, 1, 3), recorded_by=app.user, reason="x", source=Source(command="test"))
    before = app.recorder.max_notification_id()

    def orphan(uow: UnitOfWork) -> None:
        uow.open_line(uow.plan("K", 2024), key="7.01.02.2.01.01", kode="7.01.02.2.01.01", level=Level.SUB_KEGIATAN,
                      nama="orphan", parent_key=None, basis=basis)

    with pytest.raises(RuleViolated, match=r"parent 7\.01\.02\.2\.01"):
        app.run_unit_of_work(orphan)
    assert app.recorder.max_notification_id() == before


def test_a_save_is_announced_to_the_librarys_listeners_and_numbered_in_order(db_url: str, backend: str) -> None:
    """On PostgreSQL a save streams its rows with COPY, its ids drawn from the table's sequence:
    they rise with the order of recording, and the library's LISTEN channel hears of the save
    (its subscribe() and process applications would miss our writes otherwise)."""
    if backend != "postgres":
        pytest.skip("NOTIFY and sequences are PostgreSQL's")
    import psycopg

    from tests.conftest import _psycopg_conninfo

    app = seeded(db_url)
    channel = app.recorder.channel_name  # type: ignore[attr-defined]
    with psycopg.connect(**_psycopg_conninfo(db_url)) as listener:  # (in autocommit)
        listener.execute(f'LISTEN "{channel}"')
        app.handle(RevisePagu(line="7.01.01.2.06.08", stage=Stage.MURNI, rupiah=Rupiah(1_250_000), **command()))
        heard = list(listener.notifies(timeout=10, stop_after=1))
    assert [note.channel for note in heard] == [channel]
    notifications = app.recorder.select_notifications(start=1, limit=1000)
    ids = [n.id for n in notifications]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and len(ids) > len(KODES)
    # The order of the ids is the order of the versions within each aggregate.
    versions: dict[object, int] = {}
    for note in notifications:
        assert note.originator_version == versions.get(note.originator_id, 0) + 1
        versions[note.originator_id] = note.originator_version
