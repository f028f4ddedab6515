"""conformance carries its own copy of the typeface roles (``zsreport.fonts`` reads them from
data/fonts.toml in the checkout, which a plain install lacks): the copy must say what fonts says."""

from __future__ import annotations

import pytest

from zsreport import fonts
from zsreport.conformance import faces

# Characters Fandol lacks (names), one it has, a minus sign and a space.
SAMPLE = "镕堃喆中−1 "


def test_face_roles_are_those_of_fonts_toml() -> None:
    copied = {role: (spec.official, spec.pdf_families) for role, spec in faces.FACE_ROLES.items()}
    configured = {role: (spec.official, spec.pdf_families) for role, spec in fonts.FONT_ROLES.items()}
    assert copied == configured, "update FACE_ROLES in zsreport/conformance/faces.py to data/fonts.toml"
    assert faces.FALLBACK_FAMILIES == fonts.FALLBACK_FAMILIES


@pytest.mark.parametrize("role", sorted(fonts.FONT_ROLES))
def test_coverage_is_that_of_fonts(role: str) -> None:
    assert faces.installed_families() == fonts.installed_families()
    assert faces.first_installed(role) == fonts.first_installed(role)
    assert faces.uncovered(SAMPLE, role) == fonts.uncovered(SAMPLE, role)
