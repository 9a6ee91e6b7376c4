"""khabar: a gold-annotated Arabic news information-extraction benchmark.

The version is part of every score signature: any change that alters scores bumps it.
"""

__version__ = "0.1.0"
