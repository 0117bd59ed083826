"""The public, read-only verification API: records as the indexer stored them, each with the way to
check it against the chain."""
