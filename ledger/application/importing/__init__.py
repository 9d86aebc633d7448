"""Turn a document's table files (CSV or XLSX, see docs/dataset-layout.md) into events."""
