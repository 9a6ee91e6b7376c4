"""khabar.eval: scoring of predictions against the gold annotation (seqeval at the core).

- `evaluate(gold_docs, pred_docs, ...)`: every layer's metrics, headline and signature;
- `score_tags(gold_tags, pred_tags, scheme=..., bootstrap=...)`: seqeval's numbers for any
  IOB2 tag sequences, with bootstrap intervals.
"""

from khabar.eval.harness import evaluate
from khabar.eval.tags import score_tags

__all__ = ["evaluate", "score_tags"]
