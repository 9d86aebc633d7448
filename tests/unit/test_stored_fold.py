"""The read model's fast fold gives, byte for byte, the state ``fold_line`` gives.

Hypothesis generates sequences of every event a budget line has (in any recording order,
with corrections of any version, komponen of several statements, shifts, reallocations
that leave figures below zero, names and text with control and non-ASCII characters),
stores them as the mapper stores them, and folds them both ways.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

import orjson
import pytest
from eventsourcing.persistence import JSONTranscoder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events_store.mapper import PydanticMapper
from ledger import line_events as ev
from ledger.basis import Basis, Source, Stage
from ledger.document import DocumentKind
from ledger.events import Aggregate
from ledger.kode import Level
from ledger.line_fold import fold_line
from ledger.money import Rupiah
from ledger.pergeseran import Authority, ShiftScope
from ledger.target import Target
from projections.current import dump_state
from projections.stored_fold import Unfoldable, fold_bodies

LINE = UUID("00000000-0000-4000-8000-000000000001")
DOCUMENTS = [uuid5(LINE, name) for name in ("renja", "dpa", "dppa")]
MAPPER = PydanticMapper(JSONTranscoder())  # the transcoder is unused: pydantic writes the JSON

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
maybe_text = st.none() | texts
amounts = st.integers(min_value=-5_000_000, max_value=5_000_000).map(Rupiah)
decimals = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
targets = st.builds(Target, nilai=decimals | st.integers(-50, 50).map(Decimal), satuan=st.sampled_from(["%", "Dokumen", "Orang"]))
stages = st.sampled_from(list(Stage))
roles = st.sampled_from(list(ev.Role))
sources = st.one_of(
    st.builds(Source, document=st.sampled_from(["Renja 2024", "DPA 2024", "DPPA 2024"]),
              document_id=st.none() | st.sampled_from(DOCUMENTS),
              kind=st.none() | st.sampled_from([kind.value for kind in DocumentKind] + ["unknown"]),
              table=st.sampled_from(["Tabel 3.2", "Rincian", None]), row=maybe_text, printed=maybe_text),
    st.builds(Source, command=st.sampled_from(["renja shift", "renja revise"])),
)
def bases_from(source: st.SearchStrategy[Source]) -> st.SearchStrategy[Basis]:
    return st.builds(Basis, effective_on=st.dates(date(2024, 1, 1), date(2024, 1, 20)), recorded_by=st.just("perencana"),
                     reason=texts, source=source, channel=st.none() | st.just("web (renja_web)"))


bases = bases_from(sources)
# Two statements only, so that komponen meet in one statement and replace another's.
few_bases = bases_from(st.sampled_from([Source(document="DPA", document_id=DOCUMENTS[1], kind="dpa", table="Rincian"),
                                        Source(document="DPPA", document_id=DOCUMENTS[2], kind="dppa", table="Rincian")]))
slots = st.builds(ev.TwSlot, target=st.none() | targets, rupiah=st.none() | amounts)
komponen = st.builds(ev.RincianItem, komponen=maybe_text, koefisien=st.none() | decimals, satuan=maybe_text,
                     harga=st.none() | amounts, ppn_persen=st.none() | decimals, ppn=st.none() | amounts, jumlah=amounts)

# The fields of each event type beyond the base ones (id, version, time, basis).
FIELDS: dict[type, dict[str, Any]] = {
    ev.LineOpened: dict(opd=st.just("1.01"), tahun=st.just(2024), key=st.just("7.01.01.2.06.08"),
                        kode=st.none() | st.just("7.01.01.2.06.08"), level=st.sampled_from(list(Level)),
                        nama=texts, parent_key=st.none() | st.just("7.01.01.2.06"),
                        originator_topic=st.just("ledger.line:BudgetLine")),
    ev.KodeRecorded: dict(kode=st.sampled_from(["7.01.01.2.06.08", "1.01"])),
    ev.NameStated: dict(nama=texts),
    ev.DetailsStated: dict(stage=stages, lokasi=maybe_text, sumber_dana=maybe_text, catatan=maybe_text),
    ev.PaguSet: dict(stage=stages, rupiah=amounts),
    ev.PaguRevised: dict(stage=stages, rupiah=amounts, previous=st.none() | amounts),
    ev.TargetSet: dict(stage=stages, role=roles, target=targets, ke=st.integers(1, 3)),
    ev.TargetChanged: dict(stage=stages, role=roles, target=targets, previous=st.none() | targets, ke=st.integers(1, 3)),
    ev.IndicatorSet: dict(stage=stages, role=roles, text=texts, ke=st.integers(1, 3)),
    ev.IndicatorChanged: dict(stage=stages, role=roles, text=texts, previous=maybe_text, ke=st.integers(1, 3)),
    ev.TriwulanAllocated: dict(stage=stages, slots=st.tuples(slots, slots, slots, slots)),
    ev.TriwulanReallocated: dict(stage=stages, rupiah=st.tuples(*[st.integers(-1000, 1000)] * 4),
                                 target=st.none() | st.tuples(*[decimals] * 4)),
    ev.PenanggungJawabAssigned: dict(name=texts, previous=maybe_text),
    ev.ForwardEstimateSet: dict(tahun=st.just(2025), indikator=maybe_text, target=st.none() | targets,
                                rupiah=st.none() | amounts),
    ev.PaguShifted: dict(stage=stages, delta=st.integers(-1000, 1000), counterpart=texts,
                         shift_id=st.sampled_from(DOCUMENTS)),
    ev.EventCorrected: dict(corrects_version=st.integers(1, 12), rupiah=st.none() | amounts,
                            target=st.none() | targets),
    ev.RealisasiRecorded: dict(figures=st.dictionaries(st.sampled_from(["t1", "r1", "t2"]), st.none() | decimals),
                               indikator=maybe_text),
    ev.RincianStated: dict(stage=stages, item=komponen, ke=st.integers(1, 4),
                           printed_change=st.none() | st.integers(-100, 100)),
    ev.RekeningTotalStated: dict(stage=stages, rekening=st.sampled_from(["5.1", "5.1.02"]), nama=maybe_text,
                                 rupiah=amounts),
    ev.RekeningShifted: dict(stage=stages, delta=st.integers(-1000, 1000), counterpart=texts,
                             shift_id=st.sampled_from(DOCUMENTS), scope=st.sampled_from(list(ShiftScope)),
                             authority=st.none() | st.sampled_from(list(Authority)), decision=maybe_text),
    ev.LineWithdrawn: dict(stage=stages),
    ev.LineRestored: dict(stage=stages),
    ev.SipdFactsStated: dict(facts=st.lists(st.sampled_from(["pagu|murni", "held|murni", "indikator|murni|own|1"]),
                                            unique=True).map(tuple)),
}


def test_every_line_event_is_generated_and_has_a_rule() -> None:
    line_types = {cls for cls in vars(ev).values()
                  if isinstance(cls, type) and issubclass(cls, Aggregate.Event) and cls.__module__ == ev.__name__}
    assert line_types == set(FIELDS) == set(ev.LINE_EVENTS)  # every event generated, and said once (@line_event)
    assert all((spec.fold, spec.fold_stored, spec.words) == (cls.fold, cls.fold_stored, cls.words)  # type: ignore[attr-defined]
               for cls, spec in ev.LINE_EVENTS.items())


def test_an_event_without_its_rules_cannot_be_registered() -> None:
    before = dict(ev.LINE_EVENTS)
    with pytest.raises(TypeError, match="Unruled lacks its rule\\(s\\) fold, fold_stored, words"):
        @ev.line_event()
        class Unruled(Aggregate.Event):
            stage: Stage
    assert before == ev.LINE_EVENTS


# The money events, on one stage, so that they meet: reallocations of allocated targets,
# corrections of what they correct, komponen of one statement, figures driven below zero.
MONEY_KINDS = [ev.PaguSet, ev.PaguRevised, ev.TriwulanAllocated, ev.TriwulanReallocated, ev.EventCorrected,
               ev.RincianStated, ev.PaguShifted, ev.RekeningShifted, ev.ForwardEstimateSet, ev.TargetSet, ev.LineWithdrawn,
               ev.LineRestored]


@st.composite
def line_histories(draw: st.DrawFn, kinds_from: list[type] | None = None, stage: Stage | None = None) -> list[Any]:
    kinds = draw(st.lists(st.sampled_from(kinds_from or [k for k in FIELDS if k is not ev.LineOpened]), max_size=11))
    opened = draw(st.booleans())
    kinds = ([ev.LineOpened] if opened else []) + kinds
    events = []
    for version, kind in enumerate(kinds, start=1):
        fields = {name: draw(strategy) for name, strategy in FIELDS[kind].items()}
        if stage is not None and "stage" in fields:
            fields["stage"] = stage
        events.append(kind(originator_id=LINE, originator_version=version, basis=draw(bases if stage is None else few_bases),
                           timestamp=datetime(2024, 2, 1, tzinfo=UTC), **fields))
    return draw(st.permutations(events))  # recorded in any order


def stored(events: list[Any]) -> list[tuple[str, bytes]]:
    return [(record.topic, record.state) for record in map(MAPPER.to_stored_event, events)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line_histories() | line_histories(MONEY_KINDS, Stage.MURNI))
def test_the_fast_fold_is_fold_line(events: list[Any]) -> None:
    reference = fold_line(events)
    folded = fold_bodies(stored(events))
    if not reference.line_id:
        assert folded is None
        return
    assert folded is not None
    assert folded.state_json == dump_state(reference)
    assert (folded.opd, folded.tahun, folded.key, folded.level) == (
        reference.opd, reference.tahun, reference.key, reference.level.value)


def test_a_body_it_does_not_expect_is_left_to_fold_line() -> None:
    opened = ev.LineOpened(originator_id=LINE, originator_version=1, timestamp=datetime(2024, 2, 1, tzinfo=UTC),
                           basis=Basis(effective_on=date(2024, 1, 1), recorded_by="x", reason="r",
                                       source=Source(command="renja")),
                           opd="1.01", tahun=2024, key="k", kode=None, level=Level.SUB_KEGIATAN, nama="n",
                           parent_key=None, originator_topic="ledger.line:BudgetLine")
    (topic, body), = stored([opened])
    short = orjson.loads(body)
    del short["opd"]
    with pytest.raises(Unfoldable):
        fold_bodies([(topic, orjson.dumps(short))])
    with pytest.raises(Unfoldable):
        fold_bodies([("ledger.plan:PlanOpened", body)])
    with pytest.raises(Unfoldable):  # a line event this release does not know (written by a later one)
        fold_bodies([(topic, body), ("ledger.line_events:PaguForecast", body)])
    older = orjson.loads(body)  # a source written before a field existed
    del older["basis"]["source"]["kind"]
    with pytest.raises(Unfoldable):
        fold_bodies([(topic, orjson.dumps(older))])
    reordered = orjson.loads(body)
    reordered["basis"]["source"] = dict(reversed(reordered["basis"]["source"].items()))
    with pytest.raises(Unfoldable):
        fold_bodies([(topic, orjson.dumps(reordered))])
