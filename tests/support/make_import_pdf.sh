#!/bin/sh
# tests/fixtures/import/corpus-cover.pdf: a published report's PDF as a
# browser prints it — a cover, a typed contents page with dot leaders and
# page numbers, the title again over two lines, quotation marks set in
# another font (DejaVu Serif) than the text (Droid Sans Fallback), and a
# ruled table followed by a paragraph.
set -e
here=$(cd "$(dirname "$0")" && pwd)
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$here/../fixtures/import/corpus-cover.pdf" "$here/corpus-cover-pdf.html"
