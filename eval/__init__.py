"""khabar.eval: scoring of predictions against the gold annotation (seqeval at the core)."""
