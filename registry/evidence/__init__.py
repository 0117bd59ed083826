"""Evidence: document hashes, Merkle batches of them, and proofs anyone can check without the chain."""
