"""Composing a quarter's whole set while drawing the charts of only some documents.

A test that renders a few documents of a set still composes all of them (the numbering, 文号 and
wording of the ones it keeps are the whole set's), but drawing the charts of the ones it never
renders is most of the composing time. ``undrawn_except`` gives ``zsreport.build._compose_one``
that stubs those charts; ``compose_all`` calls it for every document in issuing order.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from zsreport.compose import charts, documents
from zsreport.compose.numbering import Planned

# Stands in for a chart nobody looks at (the same stub the sentence oracle composes with).
STUB = charts.ChartImage(b"<svg/>", b"", 10.0, 10.0, "stub")


def undrawn_except(compose_one: Callable, drawn: Callable[[int, Planned], bool]) -> Callable:
    """``compose_one`` (``zsreport.build._compose_one``) drawing the charts only of a document
    ``drawn(position in the issuing plan, its entry)`` accepts; the others get ``STUB``."""
    signature = inspect.signature(compose_one)

    def compose(*args, **kwargs):
        bound = signature.bind(*args, **kwargs).arguments
        entry, plan = bound["entry"], bound["plan"]
        index = next(i for i, planned in enumerate(plan) if planned is entry)
        if drawn(index, entry):
            return compose_one(*args, **kwargs)
        builders = documents.FIGURE_BUILDERS
        documents.FIGURE_BUILDERS = {key: (lambda *a, **k: STUB) for key in builders}
        try:
            return compose_one(*args, **kwargs)
        finally:
            documents.FIGURE_BUILDERS = builders

    return compose
