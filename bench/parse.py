"""Parse speed of the PDF path on a folder of PDFs, in one process and as `qa index` parses.

    python -m bench.parse ../shared/corpora/library/pdf

Prints one JSON object: files, pages, and seconds and pages/s for (a) one process calling
`qa.ingest.pdf.parse_pdf` on each file (PDFium characters → layout → headings → tables →
records: the rate per core), and (b) `qa.parallel.parse_all`, what `qa index` runs: one worker
process per core, biggest file first, chunking included (the rate of the machine).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def measure(folder: Path) -> dict:
    import pypdfium2

    from qa.corpus import doc_id, scan, warn_none
    from qa.ingest.pdf import parse_pdf
    from qa.parallel import parse_all, workers

    files = sorted(folder.glob("*.pdf"))
    pages = 0
    for path in files:
        pdf = pypdfium2.PdfDocument(str(path))
        pages += len(pdf)
        pdf.close()
    began = time.perf_counter()
    for path in files:
        parse_pdf(doc_id(path.name), path)
    one = time.perf_counter() - began
    sources = [s for s in scan(folder, warn=warn_none).files if s.name.lower().endswith(".pdf")]
    began = time.perf_counter()
    parse_all(sources, warn_none)
    pooled = time.perf_counter() - began
    return {
        "files": len(files), "pages": pages, "workers": workers(),
        "one_process_s": round(one, 2), "one_process_pages_per_s": round(pages / one, 1) if one else 0.0,
        "workers_s": round(pooled, 2), "workers_pages_per_s": round(pages / pooled, 1) if pooled else 0.0,
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
