"""`python -m khabar …` runs the `khabar` command."""

import sys

from khabar.cli import main

sys.exit(main())
