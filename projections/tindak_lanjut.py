"""The follow-up of a plan's findings, beside the findings of the plan now: each finding's status
(open, answered, acted upon, closed, reopened), and the follow-ups whose finding is no longer
found (resolved by a later statement or correction: the checks no longer see it).

Read from the time index (the follow-ups' own events, replayed as ``ledger.tindak_lanjut`` folds
them), never from the write model's repository.
"""

from __future__ import annotations

from typing import Any

from events_store.time_index import TimeIndex
from ledger.events import DomainEvent, replay
from ledger.i18n import N_, _
from ledger.tindak_lanjut import FOLLOW_UP_EVENTS, FollowUp, TindakLanjutDicatat
from projections.checks.model import Finding
from projections.tabular import Column, Rendered, Tabular

FOLLOW_UP_TYPES = tuple(cls.__name__ for cls in FOLLOW_UP_EVENTS)
OPEN_WORDS = N_("open")
GONE_WORDS = N_("no longer found (resolved)")


def follow_ups(index: TimeIndex, opd: str, tahun: int) -> dict[str, FollowUp]:
    """Every follow-up of the plan, by its finding's id."""
    by_id: dict[str, list[DomainEvent]] = {}
    for originator, event in index.events_of_types(FOLLOW_UP_TYPES):
        by_id.setdefault(originator, []).append(event)
    found = [replay(events) for events in by_id.values()]
    return {f.temuan: f for f in found if isinstance(f, FollowUp) and (f.opd, f.tahun) == (opd, tahun)}


def status_json(follow_up: FollowUp | None) -> dict[str, Any]:
    """A finding's follow-up as the check's JSON carries it beside the finding."""
    if follow_up is None or follow_up.status is None:
        return {"status": "terbuka", "status_kata": _(OPEN_WORDS), "langkah": len(follow_up.trail) if follow_up else 0}
    last = follow_up.trail[-1]
    return {"status": follow_up.status.value, "status_kata": follow_up.status.label, "langkah": len(follow_up.trail),
            "terakhir": {"oleh": last.basis.recorded_by, "tanggal": last.basis.effective_on.isoformat(),
                         "kata": last.basis.reason}}


def gone(findings: list[Finding], known: dict[str, FollowUp]) -> list[FollowUp]:
    """The follow-ups whose finding the checks no longer find."""
    present = {f.id for f in findings}
    return [f for key, f in known.items() if key not in present]


STEP_WORDS = {"TemuanDiikuti": N_("followed"), "TemuanDitanggapi": N_("answered"),
              "TindakLanjutDicatat": N_("acted upon"), "TemuanDitutup": N_("closed"), "TemuanDibuka": N_("reopened")}


def follow_up_report(findings: list[Finding], known: dict[str, FollowUp], title: str) -> Rendered:
    """Every finding with its follow-up, then the followed ones no longer found: the auditor's list."""
    columns = [Column("id", _("Finding"), kind="code"), Column("rule", _("Rule"), kind="code"),
               Column("kodes", _("Kode"), kind="code"), Column("message", _("Finding's words"), width=50),
               Column("status_kata", _("Follow-up")), Column("terakhir", _("Last step"), width=40)]
    rows = []
    for finding in findings:
        status = status_json(known.get(finding.id))
        rows.append({"id": finding.id, "rule": finding.rule, "kodes": ", ".join(finding.kodes),
                     "message": finding.message, "status_kata": status["status_kata"],
                     "terakhir": _last_words(status)})
    for follow_up in gone(findings, known):
        status = status_json(follow_up)
        rows.append({"id": follow_up.temuan, "rule": follow_up.rule, "kodes": ", ".join(follow_up.kodes),
                     "message": follow_up.pesan, "status_kata": _(GONE_WORDS), "terakhir": _last_words(status)})
    payload = {"temuan": [{**f.to_json(), "tindak_lanjut": status_json(known.get(f.id))} for f in findings],
               "tidak_ditemukan_lagi": [trail_json(f) for f in gone(findings, known)]}
    return Rendered(payload, Tabular(title, columns, rows, sheet=_("Follow-up")))


def _last_words(status: dict[str, Any]) -> str:
    last = status.get("terakhir")
    return f"{last['tanggal']} {last['oleh']}: {last['kata']}" if last else ""


def trail_json(follow_up: FollowUp) -> dict[str, Any]:
    return {"id": follow_up.temuan, "rule": follow_up.rule, "kodes": list(follow_up.kodes), "message": follow_up.pesan,
            "tindak_lanjut": status_json(follow_up),
            "jejak": [{"langkah": type(e).__name__, "oleh": e.basis.recorded_by, "tanggal": e.basis.effective_on.isoformat(),
                       "kata": e.basis.reason, **({"bukti": e.bukti} if isinstance(e, TindakLanjutDicatat) and e.bukti else {}),
                       **({"berkas": [b.model_dump() for b in files]} if (files := getattr(e, "berkas", ())) else {})}
                      for e in follow_up.trail]}


def follow_up_trail(follow_up: FollowUp) -> Rendered:
    """One finding's follow-up, step by step."""
    columns = [Column("langkah_kata", _("Step")), Column("oleh", _("By")), Column("tanggal", _("Date")),
               Column("kata", _("Words"), width=50), Column("bukti", _("Evidence"))]
    payload = trail_json(follow_up)
    # (its first event keeps the finding's content: the first step's words are shown once, as that step)
    rows = [{**step, "langkah_kata": _(STEP_WORDS[step["langkah"]]), "bukti": "; ".join(
                [*([step["bukti"]] if step.get("bukti") else []),
                 *(f"{item['nama']} ({item['sha256'][:12]})" for item in step.get("berkas", ()))])}
            for step in payload["jejak"] if step["langkah"] != "TemuanDiikuti"]
    meta = [(_("Finding"), f"{follow_up.temuan} [{follow_up.rule}] {', '.join(follow_up.kodes)}"),
            (_("Finding's words"), follow_up.pesan)]
    return Rendered(payload, Tabular(_("Follow-up of finding {id}").format(id=follow_up.temuan), columns, rows, meta,
                                     sheet=_("Follow-up")))
