"""The run layer: what combines reading, scoring and baselines for the commands above it."""
