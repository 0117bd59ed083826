"""The SQL copy of the registry: schema, migrations and engines, for the indexer to write and the API to read."""
