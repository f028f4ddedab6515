"""Compose: the quarter's figures + the wording (Jinja, ``templates/wording/``) + tables and charts
→ the document tree (``zsreport.model``). Nothing here knows about PDF or DOCX."""

from zsreport.compose.documents import (
    Issuance,
    Meeting,
    Office,
    compose_assessment,
    compose_briefing,
    compose_city_bulletin,
    compose_unit_bulletin,
)
from zsreport.compose.numbering import Planned, issuing_plan
from zsreport.compose.sample import SAMPLE_MARK, marked_as_sample

__all__ = [
    "SAMPLE_MARK",
    "Issuance",
    "Meeting",
    "Office",
    "Planned",
    "compose_assessment",
    "compose_briefing",
    "compose_city_bulletin",
    "compose_unit_bulletin",
    "issuing_plan",
    "marked_as_sample",
]
