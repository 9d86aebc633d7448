"""The accounts a ledger holds, folded from their events (for `renja users list` and the web), and
one account as it stands now (the web's login)."""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.application import AggregateNotFoundError

from events_store.time_index import TimeIndex
from ledger.access import AccessRole
from ledger.accounts import ACCOUNT_EVENTS, Account, AccountOpened, PasswordChanged, RoleChanged, account_id
from ledger.application import RenjaLedger


@dataclass
class AccountRow:
    name: str
    role: AccessRole
    opds: tuple[str, ...]
    opened_by: str
    changes: int = 0


def accounts(index: TimeIndex) -> list[AccountRow]:
    found: dict[str, AccountRow] = {}
    for originator, event in index.events_of_types(cls.__name__ for cls in ACCOUNT_EVENTS):
        if isinstance(event, AccountOpened):
            found[originator] = AccountRow(event.name, event.role, event.opds, event.basis.recorded_by)
        elif originator in found and isinstance(event, RoleChanged):
            found[originator].role, found[originator].opds = event.role, event.opds
            found[originator].changes += 1
        elif originator in found and isinstance(event, PasswordChanged):
            found[originator].changes += 1
    return sorted(found.values(), key=lambda row: row.name)


def account(app: RenjaLedger, name: str) -> Account | None:
    """The account of that name with every event it has (its version ends the sessions opened
    before its last change); None for a name no account has."""
    try:
        found = app.repository.get(account_id(name)) if name.strip() else None
    except AggregateNotFoundError:
        return None
    return found if isinstance(found, Account) else None
