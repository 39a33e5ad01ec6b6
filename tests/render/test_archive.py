"""PDF/A-3b and PDF/UA-1, clause by clause, read back with pypdf (no validator can be installed here)."""

from __future__ import annotations

import csv
import hashlib
import io
from decimal import Decimal

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from helpers import figure_rows, pdf_pages, REPO
from reporter.render.archive import DATA_COLUMNS
from reporter.data.report import load_report

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
REPORT_NS = "https://reporter.invalid/ns/report/1.0/"


@pytest.fixture(scope="module")
def variants(tmp_path_factory, example_dir):
    from helpers import Cli

    cli = Cli()
    built = {}
    for variant in ("pdf/a-3b", "pdf/ua-1"):
        paths = []
        for attempt in ("first", "second"):
            out = tmp_path_factory.mktemp(attempt)
            result = cli("build", example_dir, "-t", "quarterly-briefing", "--pdf-variant", variant, "-o", out)
            assert result.exit_code == 0, result.output
            paths.append(out / "almonty-los-santos-mine-q3-2011-quarterly-briefing.pdf")
        built[variant] = paths
    return built


def resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def xmp_text(reader: PdfReader) -> str:
    return resolve(reader.trailer["/Root"]["/Metadata"]).get_data().decode("utf-8")


def walk(obj, seen=None):
    """Yield every dictionary reachable from `obj`."""
    seen = set() if seen is None else seen
    if isinstance(obj, IndirectObject):
        key = (obj.idnum, obj.generation)
        if key in seen:
            return
        seen.add(key)
        obj = obj.get_object()
    if isinstance(obj, dict):
        yield obj
        for value in obj.values():
            yield from walk(value, seen)
    elif isinstance(obj, list):
        for value in obj:
            yield from walk(value, seen)


@pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf/ua-1"])
def test_variants_are_byte_identical_across_builds(variants, variant):
    first, second = variants[variant]
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()


def test_pdfa_identification_and_metadata(variants):
    reader = PdfReader(variants["pdf/a-3b"][0])
    xmp = reader.xmp_metadata
    description = xmp.rdf_root.getElementsByTagNameNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description")
    ids = {(d.getAttributeNS(PDFAID, "part"), d.getAttributeNS(PDFAID, "conformance")) for d in description}
    assert ("3", "B") in ids
    assert xmp.dc_title["x-default"] == "Los Santos Mine: Q3 2011 Quarterly Briefing"
    assert "income from mining operations" in xmp.dc_description["x-default"]
    assert xmp.dc_language == ["en-CA"]
    text = xmp_text(reader)
    for name, value in {"Company": "Almonty Industries Inc.", "Ticker": "TSXV: AII",
                        "Period": "Q3 2011", "PeriodEnd": "2011-06-30"}.items():
        assert f"<report:{name}>{value}</report:{name}>" in text
        # custom properties are only allowed in PDF/A when an extension schema describes them
        assert f"<pdfaProperty:name>{name}</pdfaProperty:name>" in text
    assert f"<pdfaSchema:namespaceURI>{REPORT_NS}</pdfaSchema:namespaceURI>" in text


def test_pdfa_output_intent_encryption_and_references(variants):
    reader = PdfReader(variants["pdf/a-3b"][0])
    root = reader.trailer["/Root"]
    assert not reader.is_encrypted and "/Encrypt" not in reader.trailer
    intent = resolve(root["/OutputIntents"][0])
    assert intent["/S"] == "/GTS_PDFA1"
    profile = resolve(intent["/DestOutputProfile"]).get_data()
    assert profile[36:40] == b"acsp" and profile[16:20] == b"RGB "  # an ICC profile of an RGB space
    checked = 0
    for obj in walk(root):
        checked += 1
        # PDF/A-3 6.1.7 / 6.2.9 / 6.6.1: no content outside the file and no actions it forbids
        # (links to web or mail addresses are allowed: they are not content)
        assert obj.get("/S") not in ("/Launch", "/JavaScript", "/ImportData", "/ResetForm", "/Sound",
                                     "/Movie"), obj
        assert not {"/FFilter", "/FDecodeParms", "/OPI", "/Ref"} & set(obj), obj
        if "/Length" in obj:  # a stream: its data is in the file
            assert "/F" not in obj, obj
        if obj.get("/Type") == "/Filespec":
            assert "/EF" in obj  # embedded, never a file beside the PDF
    assert checked > 100


@pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf/ua-1"])
def test_every_font_embedded(variants, variant):
    reader = PdfReader(variants[variant][0])
    fonts = 0
    for page in reader.pages:
        for font in walk(page["/Resources"].get("/Font", {})):
            if font.get("/Type") != "/FontDescriptor":
                continue
            fonts += 1
            assert any(key in font for key in ("/FontFile", "/FontFile2", "/FontFile3")), font
    assert fonts > 0


def test_attachments_with_relationship_and_subtype(variants, example_dir):
    reader = PdfReader(variants["pdf/a-3b"][0])
    root = reader.trailer["/Root"]
    specs = {}
    for reference in root["/AF"]:
        spec = resolve(reference)
        specs[str(spec["/F"])] = spec
    expected = {"figures.csv": ("/Source", "/text/csv"), "statement.yaml": ("/Source", "/application/yaml"),
                "commentary.md": ("/Source", "/text/markdown"),
                "normalised-figures.csv": ("/Data", "/text/csv")}
    assert set(specs) == set(expected)
    assert len(root["/AF"]) == len(expected)  # each associated file listed once
    for name, (relationship, subtype) in expected.items():
        stream = resolve(specs[name]["/EF"]["/F"])
        assert specs[name]["/AFRelationship"] == relationship
        assert stream["/Subtype"] == subtype
        assert stream["/Params"]["/ModDate"] == "D:20000101000000Z"
        if name != "normalised-figures.csv":
            assert stream.get_data() == (example_dir / name).read_bytes()


def test_attached_figures_equal_the_normalised_table_and_recompute(variants, example_dir):
    reader = PdfReader(variants["pdf/a-3b"][0])
    attached = {name: data[0] for name, data in reader.attachments.items()}
    rows = list(csv.DictReader(io.StringIO(attached["normalised-figures.csv"].decode("utf-8"))))
    assert tuple(rows[0]) == DATA_COLUMNS
    figures = load_report(example_dir).figures
    table = {(r.line_id, r.period_end.isoformat(), str(r.months)): r.value for r in figures.itertuples()}
    assert {(r["line_id"], r["period_end"], r["months"]): Decimal(r["value"]) for r in rows} == table
    # recompute every value from the attached sources: published x scale x fx_rate x sign
    statement_ids = [line["id"] for line in yaml.safe_load(attached["statement.yaml"])["lines"]]
    assert {r["line_id"] for r in rows} == set(statement_ids)
    for row in rows:
        recomputed = Decimal(row["published"]) * int(row["scale"]) * Decimal(row["fx_rate"]) * int(row["sign"])
        assert recomputed == Decimal(row["value"]), row
    revenue = next(r for r in rows if r["line_id"] == "revenue" and r["period_label"] == "Q3 2011")
    assert revenue["published"] == "4421" and revenue["value"] == "4421000"


def test_pdfua_identification_and_the_figures_still_read(variants):
    path = variants["pdf/ua-1"][0]
    reader = PdfReader(path)
    text = xmp_text(reader)
    assert 'pdfuaid:part="1"' in text
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert str(root["/Lang"]) == "en-CA"
    assert "/AF" not in root  # attachments are a PDF/A-3 matter
    pages = pdf_pages(path)
    assert ["$4,421", "$0", "$10,186", "$0"] in figure_rows("\n".join(pages), "Revenue")


def test_pdf_variant_from_report_yaml_and_a_wrong_one(cli, report_dir, tmp_path):
    settings = report_dir / "report.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\npdf_variant: pdf/a-3b\n", encoding="utf-8")
    result = cli("build", report_dir, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "almonty-los-santos-mine-q3-2011-investor-summary.pdf")
    assert 'pdfaid:part="3"' in xmp_text(reader)
    settings.write_text(settings.read_text(encoding="utf-8").replace("pdf/a-3b", "pdf/a-9"), encoding="utf-8")
    result = cli("build", report_dir, "-o", tmp_path / "again")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"data error: {settings}: pdf_variant must be one of pdf/a-3b, pdf/ua-1, "
                                     "got 'pdf/a-9'")
    result = cli("build", report_dir, "--pdf-variant", "pdf/x-4", "-o", tmp_path / "again")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: --pdf-variant must be one of pdf/a-3b, pdf/ua-1, got 'pdf/x-4'"
    assert not (tmp_path / "again").exists()
