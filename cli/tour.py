"""The demo's short tour of what the ledger now knows."""

from __future__ import annotations

from collections import Counter

from rich.console import Console

from cli.context import Settings
from cli.safe import markup_safe
from ledger.basis import Stage
from ledger.i18n import _
from ledger.money import format_rupiah
from projections.reports import ReportKind

console = Console()
STORY_LINE = "7.01.01.2.06.08"  # Fasilitasi Kunjungan Tamu


def tour(ctx_settings: Settings) -> None:
    read = ctx_settings.read
    counts = read.counts()
    console.print("\n[bold]1.[/] " + _("{documents} documents, {lines} budget lines, {events} events in the ledger").format(
        documents=counts.documents, lines=counts.lines, events=counts.events))
    opd, tahun = ctx_settings.plan()
    total = read.report(ReportKind.TABEL_2_3, opd, tahun).payload["total"]
    stated = total["dinyatakan"]
    console.print("[bold]2.[/] Tabel 2.3, Reviu Rancangan Perubahan RKPD 2024:")
    for side, label in (("pagu_rkpd", "pagu indikatif RKPD"), ("kebutuhan_dana", "kebutuhan dana")):
        printed = sorted({s["pagu"] for s in stated[side] if "Tabel 2.3" in s["sumber"]})
        console.print(f"   {label:<20} " + _("stated Rp {stated:>15}   sum of its rows in force Rp {computed:>15}").format(
            stated=", ".join(format_rupiah(p) for p in printed), computed=format_rupiah(total[side])))
    story = read.story(opd, tahun, STORY_LINE)
    line = story.line
    console.print("[bold]3.[/] " + markup_safe(_("How the pagu of {kode} {nama} moved (renja why {kode}):").format(
        kode=line.kode, nama=line.nama)))
    for entry in story.pagu:
        if entry.stage is not Stage.PRAKIRAAN_MAJU:
            console.print(f"   - {markup_safe(entry.story)}")
    findings = read.check(opd, tahun).findings
    by_rule = Counter(f.rule for f in findings)
    by_severity = Counter(f.severity for f in findings)
    counted = ", ".join(f"{n} {_(s)}" for s, n in sorted(by_severity.items()))
    console.print("[bold]4.[/] " + _("renja check found {count} inconsistencies ({counts}):").format(
        count=len(findings), counts=counted))
    for rule, count in sorted(by_rule.items()):
        console.print(f"   {rule:<28} {count}")
    console.print("\n" + _("Next:") + " renja report tabel-2-3 | renja report rencana-aksi --as-of 2024-03-01 | "
                  "renja diff --from 2024-01-03 --to 2024-08-01 | renja check | renja verify")
