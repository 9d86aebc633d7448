"""An account's komponen (rincian belanja) and the totals a form prints at higher account
levels. The komponen one statement (a document's table) gives replace those of an earlier
one; the account's pagu at the stage is their jumlah added up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.basis import Source, Stage
from ledger.events import Aggregate
from ledger.i18n import phrase
from ledger.line_events import bodies
from ledger.line_events.bodies import Body, Correction, pagu_statement, shaped, stage_of
from ledger.line_events.registry import Described, Shown, line_event
from ledger.line_state import PaguStatement, RekeningTotal, RincianEntry
from ledger.line_values import RincianItem
from ledger.money import Rupiah, format_rupiah

if TYPE_CHECKING:
    from ledger.line_events.correction import EventCorrected
    from ledger.line_state import LineState


def statement_of(source: Source) -> str:
    """One statement: a document's table (or a command)."""
    return f"{source.document_id or source.command}|{source.table}"


@line_event(shown=Shown.FIGURE, money=True)
class RincianStated(Aggregate.Event):
    """A komponen of an account line (level ``rekening``) at a stage. The komponen a document
    states for an account replace those of an earlier statement; the account's pagu at the
    stage is their jumlah added up."""

    stage: Stage
    item: RincianItem
    ke: int = 1  # which komponen of the account, in the order the document prints them
    printed_change: int | None = None  # bertambah/(berkurang) as printed beside it, when the form has it

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        """Counted from the first komponen of the statement."""
        figures = state.stage(self.stage)
        source = self.basis.source
        statement = statement_of(source)
        jumlah = self.item.jumlah
        if figures.rincian_statement != statement:
            figures.rincian, figures.rincian_statement = [], statement
            figures.pagu = jumlah
            figures.statements.append(PaguStatement(self.originator_version, "RincianStated", jumlah,
                                                    self.basis.effective_on, source))
        else:
            figures.pagu = Rupiah((figures.pagu or 0) + jumlah)
            figures.statements[-1].rupiah = Rupiah(figures.statements[-1].rupiah + jumlah)
        figures.pagu_version = self.originator_version
        figures.rincian.append(RincianEntry(self.ke, self.item, source, self.printed_change))

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        figures = stage_of(state, body["stage"])
        source = body["basis"]["source"]
        statement = bodies.statement_of(source)
        jumlah = shaped(body["item"], RincianItem)["jumlah"]
        if figures["rincian_statement"] != statement:
            figures["rincian"], figures["rincian_statement"] = [], statement
            figures["pagu"] = jumlah
            figures["statements"].append(pagu_statement(body["originator_version"], "RincianStated", jumlah, body,
                                                        None))
        else:
            figures["pagu"] = bodies.rupiah((figures["pagu"] or 0) + jumlah)
            last = figures["statements"][-1]
            last["rupiah"] = bodies.rupiah(last["rupiah"] + jumlah)
        figures["pagu_version"] = body["originator_version"]
        figures["rincian"].append({"ke": body["ke"], "item": body["item"], "source": source,
                                   "printed_change": body["printed_change"]})

    def words(self, before: LineState, after: LineState) -> Described:
        """One komponen: its own figures, not a change of the account's pagu (a document states
        its komponen one by one; the account's pagu is their sum, shown per stage beside it)."""
        item = self.item
        volume = f"{item.koefisien} {item.satuan or ''}".strip() if item.koefisien is not None else None
        price = f"Rp {format_rupiah(item.harga)}" if item.harga is not None else None
        figures = " x ".join(p for p in (volume, price) if p)
        kind = phrase("rincian komponen {ke}: {komponen}", ke=self.ke, komponen=item.komponen or "-")
        if figures:
            kind = phrase("{what} ({figures})", what=kind, figures=figures)
        return Described(kind, self.stage, None, format_rupiah(item.jumlah))


@line_event()
class RekeningTotalStated(Aggregate.Event):
    """A total the form prints for a sub-kegiatan at a higher account level (``5.1.02 Belanja
    Barang dan Jasa  Rp ...``): money stated twice, checked against its accounts. The totals of
    one statement replace those of an earlier one (a DPPA's totals are checked against the
    DPPA's accounts, not the DPA's)."""

    stage: Stage
    rekening: str
    nama: str | None = None
    rupiah: Rupiah

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        figures = state.stage(self.stage)
        statement = statement_of(self.basis.source)
        if figures.rekening_totals_statement != statement:
            figures.rekening_totals, figures.rekening_totals_statement = {}, statement
        figures.rekening_totals[self.rekening] = RekeningTotal(self.rekening, self.nama, self.rupiah, self.basis.source)

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        figures = stage_of(state, body["stage"])
        source = body["basis"]["source"]
        statement = bodies.statement_of(source)
        if figures["rekening_totals_statement"] != statement:
            figures["rekening_totals"], figures["rekening_totals_statement"] = {}, statement
        figures["rekening_totals"][body["rekening"]] = {"rekening": body["rekening"], "nama": body["nama"],
                                                        "rupiah": body["rupiah"], "source": source}

    def words(self, before: LineState, after: LineState) -> Described:
        kind = phrase("total {rekening} {nama} stated", rekening=self.rekening, nama=self.nama) if self.nama \
            else phrase("total {rekening} stated", rekening=self.rekening)
        return Described(kind, self.stage, None, format_rupiah(self.rupiah))
