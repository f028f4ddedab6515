"""``Document`` → DOCX (python-docx), laid out by the numbers in ``gbt9704``.

The DOCX is the clerk's copy for a last edit in Word/WPS, so its formatting lives in styles
(Normal = 正文, Heading 1–4 for the navigation pane, named 公文 styles, one character style per
face) and its runs stay bare unless they really differ: changing 正文 changes the body text. It
starts from our own minimal template (``template``), holds only the styles it uses, and says word
for word what the PDF says: both are rendered from the same tree.

Layout choices that Word and WPS honour alike:
- "空N行" are exact-height empty paragraphs, never space-before, because WPS and Word compute
  space-before differently at page tops;
- the 版头 stack (organ lines + "文件") is a borderless two-column table;
- rules are paragraph or table borders (no drawing shapes, which clerks cannot select easily);
- the 版记 is a floating table anchored to the bottom of the 版心 of the last page;
- every section has its own odd and even footer; a 横排 section's footer holds only a page-anchored
  DrawingML text box (VML fallback) with the "— N —" turned a quarter clockwise on the short side,
  where the portrait pages have their number (clause 8) — the one drawing shape, in the footer;
- a table's last row goes over with its 注 (keepNext), and a heading with two lines of its text
  (keepNext on headings, widow/orphan control on the paragraph under it);
- the pages break where the PDF's do: the paragraphs have the PDF's widow/orphan control (on,
  but off on the 正文's last one, which may leave a line alone with the 署名), and each line the
  PDF sets is held to its breaks in LibreOffice (``lines``); styles and other paragraphs keep it
  off;
- 套打 (``Document.preprinted``): no red 标志, rule or style; an empty paragraph of the 标志's exact
  height and the rule's room as space after keep everything else where the normal DOCX has it.
"""

from zsreport.render.docx.builder import build_docx, render_docx
from zsreport.render.docx.package import document_author
from zsreport.render.docx.tables import table_size_pt

__all__ = ["build_docx", "document_author", "render_docx", "table_size_pt"]
