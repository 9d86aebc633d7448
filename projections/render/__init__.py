"""Renderers of the official forms (``projections.tabular.Tabular``) that both the CLI and the
web application use: the header layout, XLSX, HTML and PDF. The terminal renderer is the CLI's."""
