"""The follow-up of a plan's findings, beside the findings of the plan now: each finding's status
(open, answered, acted upon, closed, reopened), and the follow-ups whose finding is no longer
found (resolved by a later statement or correction: the checks no longer see it).

Read from the time index (the follow-ups' own events, replayed as ``ledger.tindak_lanjut`` folds
them), never from the write model's repository.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from events_store.time_index import TimeIndex
from ledger.events import DomainEvent, replay
from ledger.i18n import N_, _
from ledger.plan import plan_id
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


def follow_up_report(findings: list[Finding], known: dict[str, FollowUp], title: str,
                     resolved: dict[str, dict[str, Any]] | None = None) -> Rendered:
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
                     "message": follow_up.pesan, "status_kata": _(GONE_WORDS),
                     "terakhir": _resolved_words((resolved or {}).get(follow_up.temuan)) or _last_words(status)})
    payload = {"temuan": [{**f.to_json(), "tindak_lanjut": status_json(known.get(f.id))} for f in findings],
               "tidak_ditemukan_lagi": [trail_json(f, (resolved or {}).get(f.temuan)) for f in gone(findings, known)]}
    return Rendered(payload, Tabular(title, columns, rows, sheet=_("Follow-up")))


def _last_words(status: dict[str, Any]) -> str:
    last = status.get("terakhir")
    return f"{last['tanggal']} {last['oleh']}: {last['kata']}" if last else ""


def trail_json(follow_up: FollowUp, resolved: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"id": follow_up.temuan, "rule": follow_up.rule, "kodes": list(follow_up.kodes), "message": follow_up.pesan,
            **({"diselesaikan_oleh": resolved} if resolved else {}), "tindak_lanjut": status_json(follow_up),
            "jejak": [{"langkah": type(e).__name__, "oleh": e.basis.recorded_by, "tanggal": e.basis.effective_on.isoformat(),
                       "kata": e.basis.reason, **({"bukti": e.bukti} if isinstance(e, TindakLanjutDicatat) and e.bukti else {}),
                       **({"berkas": [b.model_dump() for b in files]} if (files := getattr(e, "berkas", ())) else {})}
                      for e in follow_up.trail]}


def follow_up_trail(follow_up: FollowUp) -> Rendered:
    """One finding's follow-up, step by step."""
    columns = [Column("langkah_kata", _("Step")), Column("oleh", _("By")), Column("tanggal", _("Date"), kind="date"),
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


# --- which change resolved a followed finding ----------------------------------------------------

def resolving_change(index: TimeIndex, follow_up: FollowUp, found_at: Callable[[datetime], bool]) -> dict[str, Any] | None:
    """The change after which the checks no longer find a followed finding: the first recording
    instant since its follow-up began at which ``found_at`` (the finding among the plan's findings
    as the ledger knew it then) is false, found by bisection; its events are one command's or one
    import's. None when the finding is found at every instant since (or the trail is empty)."""
    if not follow_up.trail:
        return None
    plan = plan_id(follow_up.opd, follow_up.tahun)
    instants = index.plan_instants(follow_up.opd, follow_up.tahun, plan, after=follow_up.trail[0].timestamp)
    low, high = 0, len(instants)
    while low < high:  # the first instant at which it is no longer found
        middle = (low + high) // 2
        if found_at(parse_instant(instants[middle])):
            low = middle + 1
        else:
            high = middle
    if low == len(instants):
        return None
    events = index.events_recorded_at(follow_up.opd, follow_up.tahun, plan, instants[low])
    first = next((e for e in events if type(e).__name__ not in ("LineRegistered", "LineKodeRecorded")), events[0])
    return {"peristiwa": type(first).__name__, "versi": first.originator_version, "dicatat": instants[low],
            "oleh": first.basis.recorded_by, "alasan": first.basis.reason, "dasar": first.basis.source.describe(),
            "peristiwa_lain": len(events) - 1}


def _resolved_words(resolved: dict[str, Any] | None) -> str:
    if not resolved:
        return ""
    return _("resolved by {event} recorded {at} by {who}: {reason}").format(
        event=resolved["peristiwa"], at=resolved["dicatat"][:16].replace("T", " "), who=resolved["oleh"],
        reason=resolved["alasan"])


def parse_instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
