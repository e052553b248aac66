"""Use cases: each checks permissions, runs in one transaction, writes an audit entry."""
