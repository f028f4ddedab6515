"""Render: the document tree (``zsreport.model``) → PDF (weasyprint) and DOCX (python-docx).
A renderer never sees a spreadsheet: only the tree, the layout numbers and the fonts."""
