"""What every event carries: its basis (source, effective date, who, why)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from ledger.i18n import N_, _


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Stage(StrEnum):
    """Budget stages, in the order the documents of a year bring them."""

    RKPD = "rkpd"  # pagu indikatif of the (Rancangan Perubahan) RKPD
    KEBUTUHAN = "kebutuhan"  # the office's own hasil analisis kebutuhan (Tabel 2.3), under review
    MURNI = "murni"  # the original Renja / Rencana Aksi / DPA
    PERUBAHAN = "perubahan"  # Renja Perubahan (Tabel 3.2) / RKPA / DPPA
    PRAKIRAAN_MAJU = "prakiraan_maju"  # forward estimate for next year

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_LABELS = {
    Stage.RKPD: N_("RKPD draft"),
    Stage.KEBUTUHAN: N_("kebutuhan"),
    Stage.MURNI: N_("murni"),
    Stage.PERUBAHAN: N_("perubahan"),
    Stage.PRAKIRAAN_MAJU: N_("prakiraan maju"),
}

# The stages that are the plan in force; the RKPD draft is a ceiling under review, the
# kebutuhan is the office's own estimate of what it needs, the prakiraan maju belongs to
# next year.
PLAN_STAGES = (Stage.MURNI, Stage.PERUBAHAN)


# How a before/after form's *sebelum perubahan* statements name their table ("<table>, sebelum
# perubahan"): the importer writes it, the readers that pair a form's two sides read it.
SEBELUM_TABLE = ", sebelum perubahan"


class Source(Frozen):
    """Where a figure comes from: a document's table and row, or a command."""

    document: str | None = None
    document_id: UUID | None = None
    kind: str | None = None  # the document's kind (ledger.document.DocumentKind): its precedence on one date
    table: str | None = None
    row: str | None = None
    printed: str | None = None  # the figure exactly as the document prints it
    command: str | None = None

    @property
    def is_sebelum(self) -> bool:
        """A before/after form's *sebelum perubahan* column (``SEBELUM_TABLE``)."""
        return bool(self.table and self.table.endswith(SEBELUM_TABLE))

    def describe(self) -> str:
        if self.command:
            return _("command: {command}").format(command=self.command)
        row = _("row {row}").format(row=self.row) if self.row else None
        text = ", ".join(p for p in (self.document, self.table, row) if p)
        return text + (_(" (printed {printed!r})").format(printed=self.printed) if self.printed else "")


class Basis(Frozen):
    effective_on: date
    recorded_by: str = Field(min_length=1)
    reason: str
    source: Source
    # How it reached the ledger when not directly: the web application under its own database
    # role ("web (renja_web)"), while ``recorded_by`` is the user who logged in.
    channel: str | None = None
