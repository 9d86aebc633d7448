"""The time index: the one owner of its tables, of the SQL that writes them and of every query on them.

For every stored event the recorder writes, in the same transaction, one row of
``renja_event_index``: (notification id, aggregate, version, event type, stage,
effective_on, recorded_at, prev_hash, hash). ``renja_lines`` registers each budget line
(opd, tahun, kode, key) so a plan's events can be found without replaying anything. As in
the library's ``searchabletimestamps`` example, the rows are produced from the domain
events in hand (``index_fields``, the one producer) and inserted beside the events.

Queries filter on both time axes in SQL: ``effective_on <= as_of`` (valid time) and
``recorded_at <= known_at`` (system time), and hand back decoded domain events.

The package's modules: ``tables`` (names, DDL, the predicates queries repeat), ``writing`` (the
rows and the chain a save adds) and ``reading`` (``TimeIndex``). Everything is imported from
here, ``events_store.time_index``.
"""

from events_store.time_index.reading import CHUNK, STREAM_ROWS, ChainLink, Counts, IndexedEvent, LineRow, TimeIndex
from events_store.time_index.tables import (
    INDEX_COLUMNS,
    INDEX_TABLE,
    LINE_COLUMNS,
    LINES_TABLE,
    RARE,
    RARE_NAMES,
    RARE_TYPES,
    REGISTER,
    STORED_HEAD,
    TIMELESS,
    ddl,
    stored_head,
)
from events_store.time_index.writing import (
    INDEXED_FIELDS,
    IndexBatch,
    RowInserter,
    build_batch,
    derived_index_row,
    derived_register,
    executemany_inserter,
    index_fields,
    write_index,
)

__all__ = ["CHUNK", "INDEXED_FIELDS", "INDEX_COLUMNS", "INDEX_TABLE", "LINES_TABLE", "LINE_COLUMNS", "RARE", "RARE_NAMES",
           "RARE_TYPES", "REGISTER", "STORED_HEAD", "STREAM_ROWS", "TIMELESS", "ChainLink", "Counts", "IndexBatch",
           "IndexedEvent", "LineRow", "RowInserter", "TimeIndex", "build_batch", "ddl", "derived_index_row",
           "derived_register", "executemany_inserter", "index_fields", "stored_head", "write_index"]
