"""``python -m cli``: the same as the ``baoyen`` command."""

from cli import run

run()
