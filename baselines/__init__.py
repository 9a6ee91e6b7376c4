"""khabar.baselines: baseline taggers that write predictions in the submission format."""
