"""Who may record what: roles, the acting user, and the one policy every writer goes through.

The rule lives here, in the domain, and ``RenjaLedger.handle`` applies it to every command,
whether it comes from the CLI or the web application:

* ``perencana`` records the plans of its own OPDs (every plan command, imports, corrections);
* ``verifikator`` reads every plan, records corrections (with a reason) in any of them, and
  verifies or returns proposals (usulan) of its OPDs (of every OPD when it has none);
* ``penetap`` (PA/KPA, Sekda, PPKD) decides verified proposals of its OPDs (every OPD when it
  has none), and so records the plan's decisions there;
* ``auditor`` reads everything, and records only the follow-up of findings (answers, actions,
  and alone closes a finding or opens it again);
* ``admin`` manages accounts and roles, and records no plan;
* ``nonaktif`` is an account disabled by an admin (its role changed to it): it logs in no more
  and records nothing; its history stays, and an admin gives it a role again to enable it;
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
    PENETAP = "penetap"
    AUDITOR = "auditor"
    ADMIN = "admin"
    NONAKTIF = "nonaktif"  # a disabled account: no login, no right (Actor.may grants it nothing)
    LOKAL = "lokal"
    TAMU = "tamu"  # a database role with no account on a ledger that has accounts: reads only


class Permission(StrEnum):
    """What a command needs; one per kind of command (``ledger.application.handlers.PERMISSIONS``)."""

    WRITE_PLAN = "write_plan"  # any decision about one OPD's plan, and imports
    CORRECT = "correct"  # a correction of an earlier event
    VERIFY = "verify"  # verify or return a proposal (usulan)
    FOLLOW_UP = "follow_up"  # answer a finding, or record what was done about it (tindak lanjut)
    AUDIT = "audit"  # close a finding's follow-up, or open it again
    DECIDE = "decide"  # decide a verified proposal: its change is recorded
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
        if self.role is AccessRole.PERENCANA:  # proposes, but never verifies or decides
            return permission in (Permission.WRITE_PLAN, Permission.CORRECT, Permission.FOLLOW_UP) \
                and opd is not None and opd in self.opds
        if self.role is AccessRole.VERIFIKATOR:
            return permission is Permission.CORRECT or (
                permission in (Permission.VERIFY, Permission.FOLLOW_UP) and self.covers(opd))
        if self.role is AccessRole.PENETAP:
            return permission in (Permission.DECIDE, Permission.WRITE_PLAN, Permission.FOLLOW_UP) and self.covers(opd)
        if self.role is AccessRole.AUDITOR:  # records only the follow-up of findings
            return permission in (Permission.FOLLOW_UP, Permission.AUDIT)
        return False

    def covers(self, opd: str | None) -> bool:
        """A verifikator's or penetap's OPDs: those assigned to it, or every OPD when none is."""
        return not self.opds or (opd is not None and opd in self.opds)

    def check_may(self, permission: Permission, opd: str | None, what: str) -> None:
        if not self.may(permission, opd):
            scope = _(" for {opd}").format(opd=opd) if opd else ""
            raise RuleViolated("access-denied", self.name,
                               _("a {role} may not {what}").format(role=self.role.value, what=what) + scope
                               + (_(" (its OPDs: {opds})").format(opds=", ".join(sorted(self.opds))) if self.opds else ""))
