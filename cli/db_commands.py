"""`renja db status|upgrade`, `renja backup DEST`, `renja restore SOURCE` (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.context import settings
from cli.safe import echo
from events_store import schema
from events_store.config import StoreConfig, resolve
from events_store.integrity import ExpectedHead
from ledger.i18n import _

# (events_store.upgrade and events_store.backup are imported by their verbs: every other verb starts without them.)

db_app = typer.Typer(help="The ledger's schema version: where it stands, and the upgrade to this program's.",
                     no_args_is_help=True)


def store_of(ctx: typer.Context) -> StoreConfig:
    return resolve(settings(ctx).db)


def revision_words(revision: str | None) -> str:
    return revision if revision is not None else _("none recorded (made before schema versions)")


@db_app.command("status")
def status(
    ctx: typer.Context,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when the ledger needs an upgrade (for scripts).")] = False,
) -> None:
    """Show the ledger's schema revision, this program's, and whether an upgrade is needed."""
    from events_store.upgrade import status as schema_status

    store = store_of(ctx)
    state = schema_status(store)
    echo(_("ledger: {ledger}").format(ledger=store.display))
    echo(_("schema revision of the ledger: {revision}").format(revision=schema.describe_revision(state)))
    echo(_("schema revision of this program: {head}").format(head=schema.HEAD))
    if state.needs_upgrade:
        echo(_("upgrade needed: yes; run `renja db upgrade` (until then the ledger can be read, but nothing can be written to it)"))
    elif state.has_ledger and not state.known:
        echo(_("upgrade needed: no, but this program is older than the ledger: it may read it, and only the release "
               "that upgraded it (or a later one) may write to it"))
    else:
        echo(_("upgrade needed: no"))
    if check and (state.needs_upgrade or not state.known):
        raise typer.Exit(1)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Run the pending schema migrations: in one transaction on PostgreSQL; on SQLite after a copy
    of the file beside it. No event is changed: the chain's head stays the same."""
    from events_store.upgrade import upgrade as upgrade_schema

    store = store_of(ctx)
    done = upgrade_schema(store)
    if not done.changed:
        echo(_("the ledger's schema is at revision {head} already: nothing to upgrade").format(head=done.revision))
        return
    if done.backup is not None:
        echo(_("copy of the ledger before the upgrade: {path}").format(path=done.backup))
    echo(_("schema upgraded from {before} to {after} in one transaction; the chain's head is unchanged: "
           "{count} {head}").format(before=revision_words(done.before.revision), after=done.revision,
                                    count=done.head[0], head=done.head[1]))


def backup(
    ctx: typer.Context,
    dest: Annotated[Path, typer.Argument(help="The backup file to write (a new file); its head goes beside it in DEST.head.json.")],
) -> None:
    """Back the ledger up, consistent while others write: SQLite's online backup, or pg_dump's
    custom format on PostgreSQL; the chain's head (N HEAD) is written beside it."""
    from events_store.backup import backup as make_backup
    from events_store.backup import head_path

    store = store_of(ctx)
    made = make_backup(store, dest)
    echo(_("backup of {ledger} written to {path}: {count} events, head {head}").format(
        ledger=store.display, path=dest, count=made.count, head=made.head))
    echo(_("its head, SHA-256 and schema revision are in {path}").format(path=head_path(dest)))


def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="A backup made by `renja backup` (its DEST.head.json beside it).")],
    expect: Annotated[str | None, typer.Option("--expect", help="N:HEAD written down when the backup was made, when its "
                                                                "head file is missing (or to check against it too).")] = None,
) -> None:
    """Restore a backup into an empty ledger (--db: a new SQLite file or an empty PostgreSQL
    database), checking the chain's head before and after."""
    from events_store.backup import restore as restore_backup

    store = store_of(ctx)
    expected = ExpectedHead.parse(expect) if expect else None
    done = restore_backup(store, source, expected)
    if done.checked_file:
        echo(_("before: {path} is the file its head file describes: {count} events, head {head}").format(
            path=source, count=done.expected.count, head=done.expected.head))
    else:
        echo(_("before: the head given is {count} events, head {head}").format(count=done.expected.count,
                                                                               head=done.expected.head))
    echo(_("after: the restored ledger {ledger} holds {count} events with head {head}, the same head as the "
           "backup").format(ledger=store.display, count=done.after.count, head=done.after.head))
    if done.state.needs_upgrade:
        echo(_("its schema is at revision {revision}: run `renja db upgrade` before writing to it").format(
            revision=revision_words(done.state.revision)))


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command("backup")(backup)
    app.command("restore")(restore)
