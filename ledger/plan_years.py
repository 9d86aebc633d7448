"""Which dates a plan's facts may carry: the plausibility rule for effective dates and for a
document's date.

A plan of year N is prepared in year N-1 (the RKPD draft, the Renja, a DPA signed in December),
revised in year N, and its prakiraan maju and evaluation belong to year N+1. A date outside
N-1 .. N+1 is almost always a typing error (0001-01-01, 9999-12-31, 2204 for 2024), so it is
refused with the years it may take; a command that truly needs one says so explicitly
(``outside_plan_years``) and gives its reason, which is recorded with it.
"""

from __future__ import annotations

from datetime import date

from ledger.errors import RuleViolated
from ledger.i18n import _


def plan_years(tahun: int) -> range:
    return range(tahun - 1, tahun + 2)


def outside_plan_years(tahun: int, day: date, what: str, *, overridable: bool = True) -> str | None:
    """What is wrong with the date (None when it lies in the plan's years), for a command
    (``overridable``: it may say --outside-plan-years) or a document's field."""
    years = plan_years(tahun)
    if day.year in years:
        return None
    hint = _("check the date, or give --outside-plan-years with the reason") if overridable else _("check the date")
    return _("{what} {day} is outside the years of the {tahun} plan ({first}-{last}); {hint}").format(
        what=what, day=day.isoformat(), tahun=tahun, first=years[0], last=years[-1], hint=hint)


def check_plan_date(tahun: int, day: date, subject: str, what: str) -> None:
    problem = outside_plan_years(tahun, day, what)
    if problem:
        raise RuleViolated("date-outside-plan-years", subject, problem)
