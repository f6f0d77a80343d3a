"""The use cases: each thing a planner does, written once, for the pages and the command line.

``app.py`` / ``ui/`` / ``cli/`` → ``services/`` → ``layers/``, ``analysis/`` → ``geo/``. A use case takes plain
values (and the :class:`services.context.Actor` and the version a change is based on, for writes), reads and
writes the store in one transaction, and returns a typed result with ``to_dict()`` for JSON. No streamlit, no
argparse here, and no command-line or widget advice in messages: errors carry a code and parameters, and the
edge composes the message in the user's language (:mod:`services.messages`).
"""
