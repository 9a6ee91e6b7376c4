"""khabar.runs: the run layer — what combines reading, scoring and baselines for a command.

Commands (`khabar.commands`) parse their flags, call one function here and print what it
returns; the libraries below (`khabar.eval`, `khabar.baselines`, `khabar.formats`,
`khabar.labelstudio`, the core model) never import this package. Functions here may
read and write files (always through `khabar.files`) but never print or exit.
"""
