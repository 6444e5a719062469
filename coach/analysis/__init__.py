"""The offline coach: what a draft says (courtesy, intimacy) and how it fits the relationship."""
