"""Archival and accessible PDF variants: PDF/A-3b with the report's data inside, and PDF/UA-1.

WeasyPrint writes the variant's skeleton (the `pdfaid`/`pdfuaid` XMP entries, the sRGB output
intent, embedded fonts, the document id). This module adds what only reporter knows: XMP
properties a catalogue can index (company, ticker, period, language) and, for PDF/A-3, the source
files and the normalised figures attached as associated files, so anyone can pull the numbers
back out of the archived PDF (`pdfdetach`, pypdf) and recompute them.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from reporter.data.report import LoadedReport

# The variants' names are report.yaml's data: reporter.inputs.settings.PDF_VARIANTS.

# The report folder's files attached as `Source`, and their MIME types (stated, never guessed
# from the machine's mimetypes database, so two machines write the same bytes).
SOURCE_ATTACHMENTS = {
    "figures": ("text/csv", "Published figures as entered (figures.csv)"),
    "statement": ("application/yaml", "Statement definition: lines and subtotal formulas (statement.yaml)"),
    "commentary": ("text/markdown", "Management commentary (commentary.md)"),
}
DATA_ATTACHMENT_NAME = "normalised-figures.csv"
# Only for a report loaded without its files' bytes: the loaders' own limits are far lower.
MAX_SOURCE_ATTACHMENT_BYTES = 100_000_000
DATA_COLUMNS = ("line_id", "label", "period_end", "months", "restated", "fiscal_year", "period_label",
                "published", "sign", "fx_rate", "scale", "currency", "value")

# Attachments carry dates; fixed ones keep two builds of the same input byte-identical.
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)

REPORTER_NS = "https://reporter.invalid/ns/report/1.0/"


def normalised_figures_csv(report: LoadedReport) -> bytes:
    """Write the normalised table as CSV: one row per line and period, values in full units.

    `value` follows the one sign convention (positive adds to income) and is
    `published x scale x fx_rate x sign`, so a reader can recompute it from the Source files.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DATA_COLUMNS)
    figures = report.figures.sort_values(["line_order", "period_rank"])
    for row in figures.itertuples(index=False):
        writer.writerow([_csv_value(getattr(row, column)) for column in DATA_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def _csv_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def attachments(report: LoadedReport) -> list:
    """Build the associated files of a PDF/A-3 document: the sources and the normalised figures."""
    files = []
    for role, (mime_type, description) in SOURCE_ATTACHMENTS.items():
        path = report.settings.file(role)
        data = (report.sources or {}).get(path)
        if data is None:  # a report loaded without recording its files: read as the loaders read
            from reporter.inputs.yamlfile import read_bytes

            data = read_bytes(path, max_bytes=MAX_SOURCE_ATTACHMENT_BYTES)
        files.append(_attachment(data, path.name, mime_type, description, "Source"))
    files.append(_attachment(normalised_figures_csv(report), DATA_ATTACHMENT_NAME, "text/csv",
                             "Normalised figures: one row per line and period, full units, "
                             "positive adds to income", "Data"))
    return files


def _attachment(data: bytes, name: str, mime_type: str, description: str, relationship: str):
    """Make a WeasyPrint attachment with a stated MIME type and fixed dates."""
    from weasyprint import Attachment

    # A `data:` URL carries the MIME type that becomes the embedded file's /Subtype.
    url = f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}"
    return Attachment(url=url, name=name, description=description, relationship=relationship,
                      created=FIXED_DATE, modified=FIXED_DATE)


def xmp_descriptions(report: LoadedReport, language: str) -> bytes:
    """Describe the report in XMP: company, ticker, period and language, with their PDF/A schema.

    Title, description (the headline) and keywords come from the HTML's own metadata.
    PDF/A allows properties outside the standard schemas only when the file describes them
    (`pdfaExtension`), so the schema travels with the values.
    """
    settings = report.settings
    values = {
        "Company": settings.company.name,
        "Ticker": settings.company.listing or "",
        "Period": settings.calendar.label(settings.period),
        "PeriodEnd": settings.period.end.isoformat(),
        "Subject": settings.subject,
    }
    properties = "".join(
        f"<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>"
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{name} of the report</pdfaProperty:description></rdf:li>"
        for name in values)
    fields = "".join(f"<report:{name}>{escape(value)}</report:{name}>" for name, value in values.items())
    return (
        '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
        'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
        'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
        "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
        "<pdfaSchema:schema>reporter investor report</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{REPORTER_NS}</pdfaSchema:namespaceURI>"
        "<pdfaSchema:prefix>report</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property>"
        "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
        f'<rdf:Description rdf:about="" xmlns:report="{REPORTER_NS}">{fields}</rdf:Description>'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        f"<dc:publisher><rdf:Bag><rdf:li>{escape(settings.company.name)}</rdf:li></rdf:Bag></dc:publisher>"
        f"<dc:coverage>{escape(values['Period'])}</dc:coverage>"
        "</rdf:Description>"
    ).encode("utf-8")


class AddToXmp:
    """A WeasyPrint finisher that adds descriptions inside the XMP packet's one `rdf:RDF`.

    It also lists each associated file once in the catalogue's /AF.

    WeasyPrint's `xmp_metadata` option puts a second `rdf:RDF` beside its own, which XMP readers
    (pypdf, Acrobat's catalogue) ignore; the descriptions belong in the first.
    """

    def __init__(self, descriptions: bytes):
        self.descriptions = descriptions

    def __call__(self, document, pdf) -> None:
        reference = pdf.catalog["Metadata"]  # "852 0 R", as bytes or text
        reference = int((reference.decode() if isinstance(reference, bytes) else str(reference)).split()[0])
        stream = pdf.objects[reference]
        packet = b"".join(stream.stream)
        closing = b"</rdf:RDF>"
        if closing not in packet:
            raise RuntimeError("WeasyPrint wrote an XMP packet without rdf:RDF")
        stream.stream = [packet.replace(closing, self.descriptions + closing, 1)]
        # WeasyPrint 70 lists each associated file twice in /AF (from the name tree and from the
        # file specifications): once is what PDF/A-3 asks for.
        if "AF" in pdf.catalog:
            pdf.catalog["AF"][:] = list(dict.fromkeys(pdf.catalog["AF"]))


def variant_options(report: LoadedReport, variant: str | None, *, language: str) -> dict:
    """Return the `write_pdf` options for a variant: none for a plain PDF."""
    if variant is None:
        return {}
    options = {"pdf_variant": variant, "finisher": AddToXmp(xmp_descriptions(report, language))}
    if variant == "pdf/a-3b":
        options["attachments"] = attachments(report)
    return options
