"""CSS units for the PDF: weasyprint lays out in px; the stylesheet and spans speak pt and mm."""

from __future__ import annotations

PX_TO_PT = 0.75  # weasyprint lays out in CSS px (1/96 in); PDF/pt is 1/72 in


def css_pt(value: float) -> str:
    return f"{value:.3f}pt"


def css_mm(value: float) -> str:
    return f"{value:.3f}mm"


def pt_px(value: float) -> float:
    """The px weasyprint computes for a length written ``css_pt(value)`` (rounded as written)."""
    return float(css_pt(value).removesuffix("pt")) * (1 / PX_TO_PT)  # as weasyprint multiplies
