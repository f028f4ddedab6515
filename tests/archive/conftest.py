"""The archive's tests work on the small real set of ``tests/mini.py``."""

from tests.mini import data, fresh, mini_set  # noqa: F401  (fixtures)
