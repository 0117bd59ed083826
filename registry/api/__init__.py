"""The public verification API: records as the indexer stored them, each with the way to check it
against the chain; read-only but for the relay, which sends requests people signed themselves."""
