"""An official form as PDF: the HTML form printed by WeasyPrint (A4 or F4, landscape)."""

from __future__ import annotations

import logging
from pathlib import Path

from projections.render.html import form_html
from projections.tabular import Tabular

# WeasyPrint reports CSS it does not support on its logger; the form's CSS is ours and fixed.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def write_pdf(tabular: Tabular, path: Path, paper: str = "a4") -> None:
    from weasyprint import HTML  # imported here: loading it (pango, fonts) costs a second

    HTML(string=form_html(tabular, paper)).write_pdf(path)
