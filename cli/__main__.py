"""``python -m cli``: the same as the ``baoyen`` command."""

import sys

from cli import main

sys.exit(main())
