"""Persistence: the eventsourcing recorders (SQLite by default, PostgreSQL for shared use),
the time index and hash chain written in the same transaction as the events."""
