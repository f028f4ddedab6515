"""Fault injection for the reliability tests: a process can be made to die at an exact point.

``ZSREPORT_FAULT=<point>:<n>`` makes the n-th ``checkpoint(<point>)`` of this process kill it with
SIGKILL, the way a power cut or ``kill -9`` would: no ``finally`` runs, nothing is cleaned up. The
tests use it to prove that every interrupted build and issue leaves a consistent state. Unset (as
always outside the tests) a checkpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "ZSREPORT_FAULT"
_reached: Counter[str] = Counter()


def checkpoint(point: str) -> None:
    """Die here if ``ZSREPORT_FAULT`` names this point and this is its n-th passage."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name != point:
        return
    _reached[point] += 1
    if _reached[point] == int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)
