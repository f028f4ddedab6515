"""``python -m zsreport.conformance FILE.pdf|FILE.docx ...``, as ``main``'s usage line says."""

import sys

from zsreport.conformance.cli import main

sys.exit(main())
