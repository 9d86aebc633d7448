"""What a line says besides its money and targets: lokasi, sumber dana and notes per stage,
who answers for it, the evaluation figures a Tabel 2.1 prints."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ledger.basis import Stage
from ledger.events import Aggregate
from ledger.i18n import phrase
from ledger.line_events.bodies import Body, Correction, stage_of
from ledger.line_events.registry import Described, Shown, line_event

if TYPE_CHECKING:
    from ledger.line_events.correction import EventCorrected
    from ledger.line_state import LineState

DETAILS = ("lokasi", "sumber_dana", "catatan")


@line_event()
class DetailsStated(Aggregate.Event):
    stage: Stage
    lokasi: str | None = None
    sumber_dana: str | None = None
    catatan: str | None = None

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        figures = state.stage(self.stage)
        figures.lokasi = self.lokasi or figures.lokasi
        figures.sumber_dana = self.sumber_dana or figures.sumber_dana
        figures.catatan = self.catatan or figures.catatan

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        figures = stage_of(state, body["stage"])
        for name in DETAILS:
            figures[name] = body[name] or figures[name]

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("details stated"), self.stage, None, self.lokasi or self.sumber_dana or self.catatan)


@line_event(shown=Shown.FIGURE)
class PenanggungJawabAssigned(Aggregate.Event):
    name: str
    previous: str | None = None

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        state.penanggung_jawab = self.name

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        state["penanggung_jawab"] = body["name"]

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("penanggung jawab assigned"), None, before.penanggung_jawab, self.name)


@line_event()
class RealisasiRecorded(Aggregate.Event):
    """Evaluation figures (Tabel 2.1): target and realisasi in %, by column name."""

    figures: dict[str, Decimal | None]
    indikator: str | None = None  # the indicator as the evaluation table prints it

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        state.realisasi.update(self.figures)
        if self.indikator:
            state.realisasi_indikator = self.indikator

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        state["realisasi"].update(body["figures"])
        if body.get("indikator"):  # (absent from a body recorded before the field existed: the same None)
            state["realisasi_indikator"] = body["indikator"]

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("realisasi recorded"), None, None, str(self.figures.get("realisasi_tw2")))
