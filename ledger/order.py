"""The order in which statements apply (rules 2-4 of ``ledger.line_fold.effective_order``): a
function of each statement alone, so the same statements give the same state in whatever order
they were recorded. Here, below the aggregates, so that every fold (a line's, a plan's
execution) can order its statements the same way."""

from __future__ import annotations

from ledger.basis import Basis
from ledger.document import precedence_of

OrderKey = tuple[int, str, int, str, int]


def statement_order(basis: Basis, version: int) -> OrderKey:
    """Rules 2-4 of ``effective_order`` for a statement with this basis."""
    source = basis.source
    # The id as hex, not str(): the same order (the dashes stand at the same places), a third of the cost.
    document = f"{source.document or ''}|{source.document_id.hex if source.document_id else ''}"
    return (1, basis.effective_on.isoformat(), precedence_of(source.kind, bool(source.command)), document, version)
