"""The web application (`renja serve`): the ledger in the browser, in Indonesian, on the same
application layer and projections as the CLI."""
