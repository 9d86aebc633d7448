"""Who may record what: roles, the acting user, and the one policy every writer goes through.

The rule lives here, in the domain, and ``RenjaLedger.handle`` applies it to every command,
whether it comes from the CLI or the web application:

* ``perencana`` records the plans of its own OPDs (every plan command, imports, corrections);
* ``verifikator`` reads every plan and records corrections (with a reason) in any of them;
* ``auditor`` reads everything and records nothing;
* ``admin`` manages accounts and roles, and records no plan;
* ``tamu`` is a PostgreSQL role that has no account on a ledger that has accounts: reads only;
* ``lokal`` is the single user of an embedded ledger (SQLite, or any ledger that holds no
  account yet): everything, as before accounts existed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ledger.errors import RuleViolated
from ledger.i18n import _


class AccessRole(StrEnum):
    PERENCANA = "perencana"
    VERIFIKATOR = "verifikator"
    AUDITOR = "auditor"
    ADMIN = "admin"
    LOKAL = "lokal"
    TAMU = "tamu"  # a database role with no account on a ledger that has accounts: reads only


class Permission(StrEnum):
    """What a command needs; one per kind of command (``ledger.application.handlers.PERMISSIONS``)."""

    WRITE_PLAN = "write_plan"  # any decision about one OPD's plan, and imports
    CORRECT = "correct"  # a correction of an earlier event
    MANAGE_ACCOUNTS = "manage_accounts"


@dataclass(frozen=True)
class Actor:
    """The authenticated user a command runs as: ``recorded_by`` of everything it records."""

    name: str
    role: AccessRole
    opds: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def local(cls, name: str) -> Actor:
        if not name.strip() or any(not c.isprintable() for c in name):
            raise RuleViolated("user-invalid", repr(name), _("who records needs a name (--user, $RENJA_USER or the login "
                                                             "name), printable and not blank"))
        return cls(name.strip(), AccessRole.LOKAL)

    def may(self, permission: Permission, opd: str | None) -> bool:
        if self.role is AccessRole.LOKAL:
            return True
        if permission is Permission.MANAGE_ACCOUNTS:
            return self.role is AccessRole.ADMIN
        if self.role is AccessRole.PERENCANA:
            return opd is not None and opd in self.opds
        if self.role is AccessRole.VERIFIKATOR:
            return permission is Permission.CORRECT
        return False

    def check_may(self, permission: Permission, opd: str | None, what: str) -> None:
        if not self.may(permission, opd):
            scope = _(" for {opd}").format(opd=opd) if opd else ""
            raise RuleViolated("access-denied", self.name,
                               _("a {role} may not {what}").format(role=self.role.value, what=what) + scope
                               + (_(" (its OPDs: {opds})").format(opds=", ".join(sorted(self.opds))) if self.opds else ""))
