"""Read an OFD with independent readers and print what they saw, as JSON.

Usage: ofd_readers.py REPORT.ofd REPORT.pdf

- easyofd (PyPI): its parser gives each page's text objects; its renderer
  turns the OFD into a PDF, whose first page is rasterised (PyMuPDF) and
  compared with the first page of jixiao's own PDF.
- ofdkit (PyPI): pages, page boxes and each page's text.
- The outline: read from Document.xml with the standard library, and the
  PDF's bookmarks with PyMuPDF.
- pdftotext (poppler): the text of each page of jixiao's PDF.

easyofd draws all text in the one font registered as "宋体" (it does not use
the embedded fonts per text object): the largest font embedded in the OFD
(the body face's subset, TrueType) is registered under that name, so the
page shows the OFD's own glyphs; characters only other faces have are drawn
with whatever that face lacks (blank).
"""
import base64
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import logging
logging.disable(logging.CRITICAL)
from loguru import logger
logger.remove()

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

import tempfile


def register_song(data):
    z = zipfile.ZipFile(io.BytesIO(data))
    fonts = [i for i in z.infolist() if i.filename.endswith(".ttf")]
    body = max(fonts, key=lambda i: i.file_size)
    f = tempfile.NamedTemporaryFile(suffix=".ttf", delete=False)
    f.write(z.read(body))
    f.close()
    pdfmetrics.registerFont(TTFont("宋体", f.name))
    return f.name


register_song(open(sys.argv[1], "rb").read())

import contextlib
with contextlib.redirect_stdout(io.StringIO()):
    from easyofd.ofd import OFD
    from easyofd.parser_ofd import OFDParser
import ofdkit
import pymupdf

NS = "{http://www.ofdspec.org/2016}"


def easyofd_read(data):
    with contextlib.redirect_stdout(io.StringIO()):
        docs = OFDParser(base64.b64encode(data).decode())()
    doc = docs[0]
    pages = doc["page_info"]
    texts = ["".join(t.get("text", "") for t in pages[i]["text_list"]) for i in sorted(pages)]
    return {"pages": len(pages), "texts": texts, "images": sum(len(pages[i]["img_list"] or []) for i in pages),
            "lines": sum(len(pages[i]["line_list"] or []) for i in pages)}


def easyofd_render(path):
    with contextlib.redirect_stdout(io.StringIO()):
        o = OFD()
        o.read(path, fmt="path")
        return o.to_pdf()


def ofdkit_read(path):
    d = ofdkit.open(path)
    return {"pages": len(d.pages), "texts": [p.text() for p in d.pages],
            "sizes": [[p.width, p.height] for p in d.pages]}


def ofd_outline(data):
    z = zipfile.ZipFile(io.BytesIO(data))
    root = ET.fromstring(z.read("OFD.xml"))
    doc_root = root.find(f"{NS}DocBody/{NS}DocRoot").text.strip().lstrip("/")
    doc = ET.fromstring(z.read(doc_root))
    page_ids = [p.get("ID") for p in doc.find(f"{NS}Pages")]
    out = []

    def walk(elem, level):
        for e in elem.findall(f"{NS}OutlineElem"):
            dest = e.find(f"{NS}Actions/{NS}Action/{NS}Goto/{NS}Dest")
            page = page_ids.index(dest.get("PageID")) + 1 if dest is not None else None
            out.append([level, e.get("Title"), page])
            walk(e, level + 1)

    outlines = doc.find(f"{NS}Outlines")
    if outlines is not None:
        walk(outlines, 1)
    return out


def gray(page, width=400):
    zoom = width / page.rect.width
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY)
    return pix.width, pix.height, pix.samples


def page_diff(pdf_a, pdf_b, index):
    """Mean absolute grey difference (0-1) and the share of pixels that differ
    by more than half the scale, of page `index` of two PDFs at one width."""
    a = gray(pymupdf.open(stream=pdf_a)[index])
    b = gray(pymupdf.open(stream=pdf_b)[index])
    h = min(a[1], b[1])
    w = a[0]
    total, strong = 0, 0
    for y in range(h):
        ra, rb = a[2][y * w:(y + 1) * w], b[2][y * b[0]:y * b[0] + w]
        for pa, pb in zip(ra, rb):
            d = abs(pa - pb)
            total += d
            strong += d > 127
    n = w * h
    ink_a = sum(1 for p in a[2] if p < 128) / len(a[2])
    ink_b = sum(1 for p in b[2] if p < 128) / len(b[2])
    return {"mean": total / n / 255, "strong": strong / n, "ink_pdf": ink_a, "ink_ofd": ink_b}


def main():
    ofd_path, pdf_path = sys.argv[1], sys.argv[2]
    data = open(ofd_path, "rb").read()
    pdf = open(pdf_path, "rb").read()
    pdfdoc = pymupdf.open(stream=pdf)
    n = pdfdoc.page_count
    pdf_texts = [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), pdf_path, "-"],
                                capture_output=True, text=True, check=True).stdout for i in range(1, n + 1)]
    rendered = easyofd_render(ofd_path)
    result = {
        "pdf": {"pages": n, "texts": pdf_texts, "outline": [[l, t, p] for l, t, p in pdfdoc.get_toc()],
                "sizes": [[round(p.rect.width / 72 * 25.4, 1), round(p.rect.height / 72 * 25.4, 1)] for p in pdfdoc]},
        "easyofd": easyofd_read(data),
        "easyofd_render": {"pages": pymupdf.open(stream=rendered).page_count, "page1": page_diff(pdf, rendered, 0)},
        "ofdkit": ofdkit_read(ofd_path),
        "outline": ofd_outline(data),
    }
    if len(sys.argv) > 3:
        open(sys.argv[3], "wb").write(rendered)
    json.dump(result, sys.stdout, ensure_ascii=False)


main()
