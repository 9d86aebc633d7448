"""Concurrent writers in real processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
from datetime import date
from typing import Any

from events_store.bootstrap import open_ledger
from ledger.application import UnitOfWork
from ledger.application.commands import RevisePagu, ShiftPagu
from ledger.application.handlers import revise_pagu, shift_pagu
from ledger.basis import Source, Stage
from ledger.errors import ConcurrentUpdate
from ledger.money import Rupiah
from tests.conftest import invoke

FASILITASI = "7.01.01.2.06.08"
RAPAT = "7.01.01.2.06.09"
CONTEXT = multiprocessing.get_context("spawn")


def _fields(reason: str) -> dict[str, Any]:
    return {"opd": "Kecamatan Mangkutana", "tahun": 2024, "effective_on": date(2024, 10, 1), "reason": reason,
            "source": Source(command="test")}


def _revise(url: str, amount: int, barrier: Any, results: Any) -> None:
    app = open_ledger(url, user=f"writer-{amount}" if "://" not in url else None).app
    command = RevisePagu(line=FASILITASI, stage=Stage.PERUBAHAN, rupiah=Rupiah(amount), **_fields("race"))

    def act(uow: UnitOfWork) -> None:
        uow.line(uow.plan("Kecamatan Mangkutana", 2024), FASILITASI)  # both read the same version...
        barrier.wait(timeout=60)  # ...then both write at the same moment
        revise_pagu(uow, command)

    try:
        app.run_unit_of_work(act)
        results.put(("won", amount, ""))
    except ConcurrentUpdate as error:
        results.put(("conflict", amount, str(error)))


def _shift(url: str, barrier: Any, results: Any) -> None:
    app = open_ledger(url, user="shifter" if "://" not in url else None).app
    command = ShiftPagu(from_line=FASILITASI, to_line=RAPAT, stage=Stage.PERUBAHAN, rupiah=Rupiah(1_000_000),
                        **_fields("pergeseran"))
    barrier.wait(timeout=60)
    try:
        app.run_unit_of_work(lambda uow: shift_pagu(uow, command), retries=10)
        results.put(("ok", 0, ""))
    except ConcurrentUpdate as error:
        results.put(("conflict", 0, str(error)))


def _burst(url: str, shifts: int, barrier: Any, results: Any) -> None:
    app = open_ledger(url, user="shifter" if "://" not in url else None).app
    command = ShiftPagu(from_line=FASILITASI, to_line=RAPAT, stage=Stage.PERUBAHAN, rupiah=Rupiah(1_000),
                        **_fields("pergeseran"))
    barrier.wait(timeout=60)
    failed = []
    for _ in range(shifts):
        try:
            app.handle(command)  # the command's own bounded retries, as every writer uses them
        except ConcurrentUpdate as error:
            failed.append(str(error))
    results.put(("ok" if not failed else "conflict", len(failed), "; ".join(failed[:1])))


def _run(target: Any, count: int, *args: Any) -> list[tuple[str, int, str]]:
    barrier, results = CONTEXT.Barrier(count), CONTEXT.Queue()
    processes = [CONTEXT.Process(target=target, args=(*args[i], barrier, results)) for i in range(count)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    return [results.get(timeout=5) for _ in processes]


def _pagu(url: str, kode: str) -> int:
    return int(invoke(url, "pagu", kode, "--stage", "perubahan", "--format", "json").stdout.split('"pagu": ')[1].split(",")[0])


def test_two_processes_revising_one_line_exactly_one_wins(demo_url: str) -> None:
    outcomes = _run(_revise, 2, (demo_url, 210_000_000), (demo_url, 220_000_000))
    winners = [o for o in outcomes if o[0] == "won"]
    losers = [o for o in outcomes if o[0] == "conflict"]
    assert len(winners) == 1 and len(losers) == 1
    assert "changed by another writer" in losers[0][2] and "nothing was written" in losers[0][2]
    assert _pagu(demo_url, FASILITASI) == winners[0][1]
    verified = invoke(demo_url, "verify")
    assert verified.exit_code == 0 and "1437 events" in verified.output


def test_concurrent_pergeseran_stays_atomic_and_loses_nothing(demo_url: str) -> None:
    before = _pagu(demo_url, FASILITASI), _pagu(demo_url, RAPAT)
    outcomes = _run(_shift, 4, *[(demo_url,)] * 4)
    assert [o[0] for o in outcomes] == ["ok"] * 4
    assert _pagu(demo_url, FASILITASI) == before[0] - 4_000_000
    assert _pagu(demo_url, RAPAT) == before[1] + 4_000_000
    assert invoke(demo_url, "verify").exit_code == 0


def test_an_eight_way_burst_of_ninety_six_shifts_all_succeed(demo_url: str) -> None:
    before = _pagu(demo_url, FASILITASI), _pagu(demo_url, RAPAT)
    outcomes = _run(_burst, 8, *[(demo_url, 12)] * 8)
    assert [o[:2] for o in outcomes] == [("ok", 0)] * 8, outcomes
    assert _pagu(demo_url, FASILITASI) == before[0] - 96_000
    assert _pagu(demo_url, RAPAT) == before[1] + 96_000
    assert invoke(demo_url, "verify").exit_code == 0
