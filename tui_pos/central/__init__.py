"""Head office: the chain's PostgreSQL, its schema, the stores' uploads and what it sends down.

Only the sync agent, the reports run with --central and the `tui-pos central` commands use it;
the till itself never waits for it."""
