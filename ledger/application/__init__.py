"""The application service: commands, their handlers, the unit of work, importing."""

from ledger.application.app import RenjaLedger, default_user
from ledger.application.unit_of_work import UnitOfWork

__all__ = ["RenjaLedger", "UnitOfWork", "default_user"]
