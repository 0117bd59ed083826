"""The SQL of the public API's reads: one record by its key, filtered and sorted lists read a page at
a time by keyset, and the history of a record. Rows come back as mappings; the API shapes them."""
