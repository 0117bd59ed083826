"""Record types of the registry, shared by the client, indexer, API and portal; no I/O here."""
