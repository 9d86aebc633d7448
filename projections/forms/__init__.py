"""The official forms, each defined once: its title, columns, header groups, column numbers,
rows and signature block, filled from a report's JSON contract.

Every renderer (terminal, CSV, XLSX, HTML, PDF) draws these definitions; none decides a
column of its own. Where a computed figure (a sum of rows) differs from what a document
stated for that row, the computed figure stays in the form's cell, that cell alone is
marked, and the document's figure and the difference are given in check columns drawn
apart from the form, with a legend.

One module per family: ``shared`` (legend, check columns, styles, header lines, signature),
``plan`` (Tabel 2.3, Tabel 3.2 and the Renja murni), ``rencana_aksi``, ``sipd_block`` (a DPA
sub-kegiatan's header block), ``comparison`` (two dates side by side) and ``pemeriksaan`` (the
consistency check). The DPA/DPPA rincian belanja is ``projections.rincian``.
"""

from projections.forms.comparison import percent_number, perubahan_dppa
from projections.forms.pemeriksaan import SEVERITY_WORDS, pemeriksaan
from projections.forms.plan import plan_form, tabel_2_3
from projections.forms.rencana_aksi import rencana_aksi
from projections.forms.shared import (
    BLOCK_STYLE,
    CARRIED_KEY,
    CARRIED_LEGEND,
    CARRIED_WORDS,
    CHECK_GROUP,
    LEGEND,
    STYLES,
    FormBuilder,
    accounting_signs,
    heading_for,
    meta,
    printed_name,
    signature,
    unbreakable,
)
from projections.forms.sipd_block import indicator_text, masukan, sipd_block

__all__ = [
    "BLOCK_STYLE",
    "CARRIED_KEY",
    "CARRIED_LEGEND",
    "CARRIED_WORDS",
    "CHECK_GROUP",
    "LEGEND",
    "SEVERITY_WORDS",
    "STYLES",
    "FormBuilder",
    "accounting_signs",
    "heading_for",
    "indicator_text",
    "masukan",
    "meta",
    "pemeriksaan",
    "percent_number",
    "perubahan_dppa",
    "plan_form",
    "printed_name",
    "rencana_aksi",
    "signature",
    "sipd_block",
    "tabel_2_3",
    "unbreakable",
]
