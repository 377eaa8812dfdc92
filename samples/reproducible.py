"""Saving Word and OpenDocument files byte-for-byte reproducibly, and the OpenDocument table both generators write.

Shared by ``samples/make_samples.py`` and ``tests/fixtures/documents/make_fixtures.py``:
every zip entry is dated ``FIXED_TIME``, and a Word document keeps only the parts
and styles it uses, so regenerating a file changes nothing.
"""
from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

from docx.oxml.ns import qn
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

FIXED_TIME = datetime.datetime(2024, 1, 15, 9, 0, 0)
UNNEEDED_PARTS = ("stylesWithEffects", "webSettings", "customXml", "theme", "thumbnail")


def save_docx(document, path: Path) -> None:
    drop_unneeded_parts(document)
    drop_unused_styles(document)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(with_fixed_zip_times(buffer.getvalue()))


def save_odt(document, path: Path) -> None:
    buffer = io.BytesIO()
    document.write(buffer)
    path.write_bytes(with_fixed_zip_times(buffer.getvalue()))


def odf_table(name: str, rows) -> Table:
    """An OpenDocument table of text cells, one list of strings per row."""
    table = Table(name=name)
    table.addElement(TableColumn(numbercolumnsrepeated=len(rows[0])))
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    return table


def drop_unneeded_parts(document) -> None:
    """Leave out the template parts a small document does without."""
    for relationships in (document.part.rels, document.part.package.rels):
        for rid in [rid for rid, rel in relationships.items() if rel.reltype.endswith(UNNEEDED_PARTS)]:
            del relationships[rid]


def drop_unused_styles(document) -> None:
    """Keep only the styles the body uses, the defaults, and the styles they build on."""
    styles = document.styles.element
    wanted = set(document.element.body.xpath(".//w:pStyle/@w:val | .//w:tblStyle/@w:val"))
    wanted |= set(styles.xpath("w:style[@w:default='1']/@w:styleId"))
    while True:
        based_on = set(styles.xpath(
            " | ".join(f"w:style[@w:styleId='{style}']/w:basedOn/@w:val" for style in wanted)
        ))
        if based_on <= wanted:
            break
        wanted |= based_on
    for style in styles.xpath("w:style | w:latentStyles"):
        if style.get(qn("w:styleId")) not in wanted:
            styles.remove(style)


def with_fixed_zip_times(package: bytes) -> bytes:
    """The same zip with every entry dated FIXED_TIME."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(output, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = entry.compress_type
            target.writestr(fixed, source.read(entry))
    return output.getvalue()
