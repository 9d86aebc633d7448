"""One place that reads the number spellings found in Indonesian planning documents.

Seen in the sources: ``2.788.872.800`` (dot thousands), ``20,670,000`` (comma thousands),
``4.086.080,`` (a stray trailing separator), ``51,48`` (decimal comma), ``95.00`` (decimal
point), ``100%``, ``100 %`` and ``-`` for an empty cell.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ledger.errors import InvalidValue
from ledger.i18n import _

# ASCII digits only: Python's \d also matches Arabic-Indic, full-width and other digits, which
# no Indonesian planning document prints and which must not pass for figures.
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$", re.ASCII)
_ID_DECIMAL = re.compile(r"^\d{1,3}(?:\.\d{3})*,\d+$", re.ASCII)  # 1.234,5
_EN_DECIMAL = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d+$", re.ASCII)  # 1,234.5
_PLAIN = re.compile(r"^\d+$", re.ASCII)
_SIMPLE_DECIMAL = re.compile(r"^\d+[.,]\d+$", re.ASCII)
# The largest whole amount a figure may state: a quadrillion Rupiah is far above any Indonesian
# public budget (the national APBN is in the low thousands of trillions), so a larger figure is a
# typing or extraction error, not a plan.
RUPIAH_CEILING = 10**15 - 1
MAX_FIGURE_CHARS = 40  # a longer "number" is not a figure from a planning document

EMPTY_MARKS = {"", "-", "–", "—"}


def is_empty(text: str | None) -> bool:
    return text is None or text.strip() in EMPTY_MARKS


def _clean(text: str, kind: str = "number") -> str:
    if len(text) > MAX_FIGURE_CHARS * 2:
        raise InvalidValue(kind, text[:20] + "...", f"a figure of at most {MAX_FIGURE_CHARS} characters")
    cleaned = re.sub(r"\s+", "", text)
    if len(cleaned) > MAX_FIGURE_CHARS:
        raise InvalidValue(kind, text[:20] + "...", f"a figure of at most {MAX_FIGURE_CHARS} characters")
    cleaned = cleaned.removeprefix("Rp.").removeprefix("Rp")
    if kind == "Rupiah amount" and cleaned.endswith("%"):
        raise InvalidValue(kind, text, "an amount of Rupiah, not a percentage")
    cleaned = cleaned.rstrip("%")
    # A trailing separator is an extraction artefact: "4.086.080," means 4.086.080.
    return cleaned.rstrip(",.")


def parse_decimal(text: str, *, kind: str = "number") -> Decimal:
    """Read a quantity (a target value, a percentage) that may have a fractional part.

    ``1.500`` is read as one thousand five hundred (the Indonesian grouping), ``51,48`` and
    ``95.00`` as decimals. ``1,500`` is refused: it is 1.5 in Indonesian and 1500 in English.
    """
    cleaned = _clean(text, kind)
    if not cleaned:
        raise InvalidValue(kind, text, "a number such as 12, 1.500, 51,48 or 100%")
    if _PLAIN.match(cleaned):
        return Decimal(cleaned)
    grouped = _GROUPED.match(cleaned)
    if grouped:
        if grouped.group(1) == "," and cleaned.count(",") == 1:
            raise InvalidValue(
                kind, text, "an unambiguous number: '1,500' may mean 1.5 or 1500; write 1.500 or 1,5"
            )
        return Decimal(cleaned.replace(grouped.group(1), ""))
    if _ID_DECIMAL.match(cleaned):
        return Decimal(cleaned.replace(".", "").replace(",", "."))
    if _EN_DECIMAL.match(cleaned):
        return Decimal(cleaned.replace(",", ""))
    if _SIMPLE_DECIMAL.match(cleaned):
        return Decimal(cleaned.replace(",", "."))
    raise InvalidValue(kind, text, "a number such as 12, 1.500, 51,48 or 100%")


def parse_whole(text: str, *, kind: str = "Rupiah amount") -> int:
    """Read a whole amount (Rupiah). Any grouping style is accepted; a fraction is refused.
    A leading minus is kept, so that the domain can say why a negative amount is refused."""
    stripped = text.strip()
    if stripped.startswith("-") and stripped not in EMPTY_MARKS:
        return -parse_whole(stripped[1:], kind=kind)
    cleaned = _clean(text, kind)
    if not cleaned:
        raise InvalidValue(kind, text, "a whole amount such as 2.788.872.800 or 20,670,000")
    if _PLAIN.match(cleaned):
        return check_ceiling(int(cleaned), text, kind)
    grouped = _GROUPED.match(cleaned)
    if grouped:
        return check_ceiling(int(cleaned.replace(grouped.group(1), "")), text, kind)
    try:
        if _ID_DECIMAL.match(cleaned):
            value = Decimal(cleaned.replace(".", "").replace(",", "."))
        elif _EN_DECIMAL.match(cleaned):
            value = Decimal(cleaned.replace(",", ""))
        else:
            raise InvalidValue(kind, text, "a whole amount such as 2.788.872.800 or 20,670,000")
    except InvalidOperation:
        raise InvalidValue(kind, text, "a whole amount") from None
    if value != value.to_integral_value():
        raise InvalidValue(kind, text, "a whole number of Rupiah, without sen")
    return check_ceiling(int(value), text, kind)


# An amount a person types (a command, a web form): one unambiguous form, unlike the many
# spellings documents print. Plain digits, or digits grouped by '.' in threes, after an optional
# 'Rp' / 'Rp.' and a minus (kept, so that the domain can say why a negative amount is refused).
_TYPED = re.compile(r"^(?:Rp\.? ?)?(-?)(\d{1,3}(?:\.\d{3})+|\d+)$", re.ASCII)


def parse_typed_whole(text: str, *, kind: str = "Rupiah amount") -> int:
    """A whole amount as a person types it: ``2.788.872.800``, ``2788872800`` or ``Rp 2.788.872.800``.
    A percentage, a space inside the number, a comma or a fraction is refused with what is expected."""
    if len(text) > MAX_FIGURE_CHARS:
        raise InvalidValue(kind, text[:20] + "...", f"a figure of at most {MAX_FIGURE_CHARS} characters")
    found = _TYPED.match(text.strip())
    if not found:
        raise InvalidValue(kind, text, _("whole Rupiah as digits, with '.' between thousands if you like "
                                         "(2.788.872.800 or 2788872800, optionally after 'Rp '); no %, spaces, "
                                         "commas or sen"))
    value = int(found.group(2).replace(".", ""))
    return check_ceiling(-value if found.group(1) else value, text, kind)


def check_ceiling(value: int, text: str, kind: str = "Rupiah amount") -> int:
    if abs(value) > RUPIAH_CEILING:
        raise InvalidValue(kind, text if len(text) <= 30 else text[:27] + "...",
                           "at most 999.999.999.999.999 (a larger figure is no plausible budget amount)")
    return value
