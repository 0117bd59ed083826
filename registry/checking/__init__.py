"""Checking what a copy of the registry says against the chain itself: the record rules shared with
the browser (`records.json`), records read from a node and compared field by field (`records`,
`audit`), document receipts and their proofs (`receipts`, `documents`), and the node asked
(`node`). The CLI's `verify`, `prove` and `audit-copy` and the API's live check use these, so no
face has rules of its own."""
