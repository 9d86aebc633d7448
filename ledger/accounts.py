"""Accounts of the people who record: stored in the ledger as events, so every change to a
user or a role is itself audited (who made it, when, why). Only a password's hash is kept."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from ledger.access import AccessRole, Actor
from ledger.basis import Basis
from ledger.errors import RuleViolated
from ledger.events import Aggregate, DomainEvent


def account_id(name: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"renja:account:{name.strip().casefold()}")


class AccountOpened(Aggregate.Created):
    name: str
    role: AccessRole
    opds: tuple[str, ...]
    password_hash: str


class PasswordChanged(Aggregate.Event):
    password_hash: str


class RoleChanged(Aggregate.Event):
    role: AccessRole
    opds: tuple[str, ...]


class Account(Aggregate):
    def __init__(self) -> None:
        self.name = ""
        self.role = AccessRole.AUDITOR
        self.opds: tuple[str, ...] = ()
        self.password_hash = ""

    @classmethod
    def open(cls, name: str, role: AccessRole, opds: tuple[str, ...], password_hash: str, basis: Basis) -> Account:
        cls.check_role_scope(name, role, opds)
        return cls._create(AccountOpened, id=account_id(name), name=name, role=role, opds=opds,
                           password_hash=password_hash, basis=basis)

    @staticmethod
    def check_role_scope(name: str, role: AccessRole, opds: tuple[str, ...]) -> None:
        if role in (AccessRole.LOKAL, AccessRole.TAMU):
            raise RuleViolated("role-invalid", name, f"'{role.value}' is not a role an account can hold")
        if role is AccessRole.PERENCANA and not opds:
            raise RuleViolated("role-needs-opd", name, "a perencana records the plans of its OPDs: give at least one --opd")

    def change_password(self, password_hash: str, basis: Basis) -> None:
        self.trigger_event(PasswordChanged, password_hash=password_hash, basis=basis)

    def change_role(self, role: AccessRole, opds: tuple[str, ...], basis: Basis) -> None:
        self.check_role_scope(self.name, role, opds)
        self.trigger_event(RoleChanged, role=role, opds=opds, basis=basis)

    def when(self, event: DomainEvent) -> None:
        if isinstance(event, AccountOpened):
            self.name, self.role, self.opds, self.password_hash = event.name, event.role, event.opds, event.password_hash
        elif isinstance(event, PasswordChanged):
            self.password_hash = event.password_hash
        elif isinstance(event, RoleChanged):
            self.role, self.opds = event.role, event.opds

    @property
    def actor(self) -> Actor:
        return Actor(self.name, self.role, frozenset(self.opds))


def holdable_roles() -> list[AccessRole]:
    """The roles an account can hold, as ``Account.check_role_scope`` answers (it refuses the others)."""
    held = []
    for role in AccessRole:
        try:
            Account.check_role_scope("-", role, ("-",))
        except RuleViolated:
            continue
        held.append(role)
    return held


ACCOUNT_EVENTS = (AccountOpened, PasswordChanged, RoleChanged)
