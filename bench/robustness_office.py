"""Office robustness: hostile and damaged Office files, generated here, each extracted by
bench/robustness.py in its own subprocess (timeout + address-space limit).

    .venv/bin/python bench/robustness_office.py [--out /tmp/planscope-office-robustness] [--timeout 60]

Generated: a zip bomb (1 GiB of zeros in one part), a part whose headers understate its size, an
archive of 20,000 empty entries, a password-protected DOCX, a legacy .doc and .xls (OLE2), a
macro-enabled XLSM, a truncated DOCX/XLSX/ODT/ODS, a DOCX of 5,000 nested tables, an ODT asking
for a billion spaces, an ODS whose one cell repeats over a million rows and 16,384 columns, an
XLSX of 200,000 cells, a CSV of 50,000 rows, and prose named .csv. Every file must end with a
recorded status (exit code 1 otherwise); the table shows which status and reason.
"""
from __future__ import annotations

import argparse
import io
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _replace_part(data: bytes, name: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, body if info.filename == name else src.read(info))
    return out.getvalue()


def build(out: Path) -> None:
    from office_factory import encrypt, legacy_ole, render, zip_bomb
    from office_plans import sheet_plan, word_plan

    out.mkdir(parents=True, exist_ok=True)
    docx, xlsx = render(word_plan()), render(sheet_plan())
    odt, ods = render(word_plan("p.odt")), render(sheet_plan("p.ods"))
    files = {
        "bomb.docx": zip_bomb(True), "lying-headers.docx": zip_bomb(False),
        "encrypted.docx": encrypt(docx, "secret"), "legacy.doc": legacy_ole(encrypt(docx, "x"), "WordDocument"),
        "legacy.xls": legacy_ole(encrypt(xlsx, "x"), "Workbook"),
        "truncated.docx": docx[: len(docx) // 2], "truncated.xlsx": xlsx[: len(xlsx) // 2],
        "truncated.odt": odt[: len(odt) // 2], "truncated.ods": ods[: len(ods) // 2],
    }
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for i in range(20_000):
            z.writestr(f"x/{i}", b"")
    files["many-entries.odt"] = many.getvalue()
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    nested = "<w:tbl><w:tr><w:tc>" * 5000 + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * 5000
    files["nested-tables.docx"] = _replace_part(docx, "word/document.xml", (
        f'<w:document xmlns:w="{w}"><w:body>{nested}</w:body></w:document>').encode())
    with zipfile.ZipFile(io.BytesIO(odt)) as z:
        content = z.read("content.xml").decode()
    files["billion-spaces.odt"] = _replace_part(odt, "content.xml", content.replace(
        "<office:text>", '<office:text><text:p>a<text:s text:c="1000000000"/>b</text:p>', 1).encode())
    with zipfile.ZipFile(io.BytesIO(ods)) as z:
        content = z.read("content.xml").decode()
    files["repeated-cells.ods"] = _replace_part(ods, "content.xml", content.replace(
        "</table:table>", '<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p>'
        '</table:table-cell></table:table-row></table:table>', 1).encode())
    rows = [["Axe", "Action", "Responsable", "Échéance"]] + [[f"Axe {i % 7}", f"Créer le dispositif {i}", "Service",
                                                             "2027"] for i in range(50_000)]
    files["big.xlsx"] = render({"file": "big.xlsx", "sheets": [{"name": "A", "rows": rows}]})
    files["big.csv"] = render({"file": "big.csv", "sheets": [{"rows": rows}]})
    files["prose.csv"] = ("La commune, ses habitants et ses associations ont travaillé ensemble.\n" * 50).encode()
    types = zipfile.ZipFile(io.BytesIO(xlsx)).read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    macro = _replace_part(xlsx, "[Content_Types].xml", types)
    files["macro.xlsm"] = macro
    for name, data in files.items():
        (out / name).write_bytes(data)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="/tmp/planscope-office-robustness")
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args(argv)
    build(Path(args.out))
    return subprocess.call([sys.executable, str(ROOT / "bench" / "robustness.py"), args.out,
                            "--timeout", str(args.timeout)])


if __name__ == "__main__":
    sys.exit(main())
