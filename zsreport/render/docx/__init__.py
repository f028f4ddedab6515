"""``Document`` → DOCX (python-docx), laid out by the numbers in ``gbt9704``.

The DOCX is the clerk's copy for a last edit in Word/WPS, so it is built from real styles
(Normal, Heading 1–4 for the navigation pane, named 公文 styles) rather than direct formatting
alone, and says word for word what the PDF says: both are rendered from the same tree.

Layout choices that Word and WPS honour alike:
- "空N行" are exact-height empty paragraphs, never space-before, because WPS and Word compute
  space-before differently at page tops;
- the 版头 stack (organ lines + "文件") is a borderless two-column table;
- rules are paragraph or table borders (no drawing shapes, which clerks cannot select easily);
- the 版记 is a floating table anchored to the bottom of the 版心 of the last page;
- every section has its own odd and even footer; a 横排 section's footer holds only a page-anchored
  DrawingML text box (VML fallback) with the "— N —" turned a quarter clockwise on the short side,
  where the portrait pages have their number (clause 8) — the one drawing shape, in the footer;
- 套打 (``Document.preprinted``): no red 标志, rule or style; an empty paragraph of the 标志's exact
  height and the rule's room as space after keep everything else where the normal DOCX has it.
"""

from zsreport.render.docx.builder import build_docx, render_docx
from zsreport.render.docx.package import document_author
from zsreport.render.docx.tables import table_size_pt

__all__ = ["build_docx", "document_author", "render_docx", "table_size_pt"]
