"""Every mistake in a user's files: one clear line naming the file and place, exit 1, no PDF."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest


def replace_in(name: str, old: str, new: str, count: int = 1):
    def mutate(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def append_to(name: str, text: str):
    def mutate(folder: Path) -> None:
        with (folder / name).open("a", encoding="utf-8") as stream:
            stream.write(text)
    return mutate


def drop_lines(name: str, needle: str):
    def mutate(folder: Path) -> None:
        path = folder / name
        kept = [line for line in path.read_text(encoding="utf-8").splitlines(True) if needle not in line]
        path.write_text("".join(kept), encoding="utf-8")
    return mutate


def remove(name: str):
    return lambda folder: (folder / name).unlink()


def override_template(body: str, name: str = "report.html"):
    def mutate(folder: Path) -> None:
        (folder / "templates").mkdir(exist_ok=True)
        (folder / "templates" / name).write_text(body, encoding="utf-8")
    return mutate


def symlinked_asset(folder: Path) -> None:
    (folder / "assets" / "photo.png").symlink_to("/etc/passwd")
    append_to("commentary.md", "\n![Mine](assets/photo.png)\n")(folder)


EXTENDS = '{% extends "builtin:investor-summary/report.html" %}\n'

# (id, mutation, file named in the message, place in the message, what the message says)
BAD_INPUTS = [
    ("malformed-number", replace_in("figures.csv", '"3,006"', '"3,0O6"'),
     "figures.csv", 'row 6, column "value"', "not a number: '3,0O6'"),
    ("word-among-numbers", replace_in("figures.csv", "interest,2011-06-30,3,42", "interest,2011-06-30,3,n/a yet"),
     "figures.csv", 'row 18, column "value"', "not a number"),
    ("empty-value", replace_in("figures.csv", "interest,2011-06-30,3,42", "interest,2011-06-30,3,"),
     "figures.csv", 'row 18, column "value"', "empty value"),
    ("missing-line-item", drop_lines("figures.csv", "interest,2010-06-30,9"),
     "figures.csv", "", "no figure for line 'interest' in the nine months ended June 30, 2010"),
    ("duplicate-row", append_to("figures.csv", "revenue,2011-06-30,3,\"$4,421\"\n"),
     "figures.csv", 'row 30, column "line_item"', "duplicate figure for 'revenue'"),
    ("unknown-line-item", replace_in("figures.csv", "interest,2011-06-30,3", "intrest,2011-06-30,3"),
     "figures.csv", 'row 18, column "line_item"', "unknown line item 'intrest'"),
    ("bad-date", replace_in("figures.csv", "revenue,2011-06-30,3", "revenue,2011-06-31,3"),
     "figures.csv", 'row 2, column "period_end"', "not a date"),
    ("bad-months", replace_in("figures.csv", "revenue,2011-06-30,3", "revenue,2011-06-30,three"),
     "figures.csv", 'row 2, column "months"', "not a number of months"),
    ("missing-column", replace_in("figures.csv", "line_item,period_end,months,value", "line_item,period_end,value"),
     "figures.csv", "row 1", "missing column(s) months"),
    ("unknown-period", replace_in("report.yaml", "end: 2011-06-30", "end: 2011-09-30"),
     "report.yaml", "", "the three months ended September 30, 2011"),
    ("subtotal-off", replace_in("figures.csv", "net_income_before_tax_and_one_time_items,2011-06-30,3,$690",
                                "net_income_before_tax_and_one_time_items,2011-06-30,3,$790"),
     "figures.csv", 'row 26, column "value"', "lines give 690, published 790"),
    ("subtotal-off-by-two", replace_in("figures.csv", 'income_from_mining_operations,2011-06-30,3,"$1,416"',
                                       'income_from_mining_operations,2011-06-30,3,"$1,417"'),
     "figures.csv", 'row 10, column "value"', "lines give 1,415, published 1,417"),
    ("missing-commentary", remove("commentary.md"),
     "commentary.md", "", "commentary file not found"),
    ("commentary-without-headline", replace_in("commentary.md", "headline: >-", "title: >-"),
     "commentary.md", "", "front matter has no `headline`"),
    ("bad-yaml", replace_in("report.yaml", "  currency: CAD", "  currency: [CAD"),
     "report.yaml", "report.yaml:", "invalid YAML"),
    ("unknown-currency", replace_in("report.yaml", "currency: CAD", "currency: XYZ"),
     "report.yaml", "", "unknown currency code 'XYZ'"),
    ("unknown-key-figure", replace_in("report.yaml", "  - revenue\n", "  - revenues\n"),
     "report.yaml", "", "key_figures names 'revenues'"),
    ("formula-unknown-line", replace_in("statement.yaml", "revenue - cost_of_sales", "revenue - cost_of_goods"),
     "statement.yaml", "", "formula uses 'cost_of_goods'"),
    ("logo-outside-folder", replace_in("report.yaml", "logo: assets/almonty-wordmark.svg", "logo: ../../../../etc/hostname"),
     "report.yaml", "", "outside the report folder"),
    ("missing-logo", replace_in("report.yaml", "logo: assets/almonty-wordmark.svg", "logo: assets/nope.svg"),
     "report.yaml", "", "does not exist"),
    ("passwd-in-commentary", append_to("commentary.md", "\n![x](file:///etc/passwd)\n"),
     "commentary.md", "commentary.md:", "file:///etc/passwd refused"),
    ("relative-escape-in-commentary", append_to("commentary.md", "\n![x](../../../../../../etc/passwd)\n"),
     "commentary.md", "", "refused: it is outside the report and theme folders"),
    ("symlink-out-of-assets", symlinked_asset,
     "commentary.md", "", "refused: it is outside the report and theme folders"),
    ("passwd-in-template", override_template(EXTENDS + '{% block extrahead %}<link rel="attachment" href="file:///etc/passwd">{% endblock %}\n'),
     "templates/report.html", "report.html:2", "file:///etc/passwd refused"),
    ("http-in-template", override_template(EXTENDS + '{% block extrahead %}<link rel="stylesheet" href="https://example.com/x.css">{% endblock %}\n'),
     "templates/report.html", "report.html:2", "never the network"),
    ("undefined-variable", override_template(EXTENDS + "{% block headline %}\n{{ report.ceo }}\n{% endblock %}\n"),
     "templates/report.html", "report.html:3", "undefined variable"),
    ("template-syntax", override_template(EXTENDS + "{% block headline %}{% if %}{% endblock %}\n"),
     "templates/report.html", "report.html:2", "template error"),
    ("unknown-filter", override_template(EXTENDS + "{% block headline %}\n\n{{ report.subject | shout }}{% endblock %}\n"),
     "templates/report.html", "report.html:4", "No filter named 'shout'"),
    ("missing-asset", override_template(EXTENDS + "{% block extrahead %}\n<link rel=stylesheet href=\"{{ asset('nope.css') }}\">{% endblock %}\n"),
     "templates/report.html", "report.html:3", "missing asset 'nope.css'"),
]


@pytest.mark.parametrize(("case", "mutate", "file", "place", "says"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gives_one_clear_line_and_no_pdf(cli, report_dir, tmp_path, case, mutate, file, place, says):
    mutate(report_dir)
    out = tmp_path / "out"
    result = cli("build", report_dir, "-o", out)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert file in message and place in message and says in message, message
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())


def test_unknown_template_lists_the_available_ones(cli, tmp_path):
    result = cli("build", "-t", "investor-sumary", "-o", tmp_path)
    assert result.exit_code == 1
    assert "unknown template 'investor-sumary'; the available templates are:" in result.stderr
    assert "investor-summary" in result.stderr


def test_network_reference_never_connects(cli, report_dir, tmp_path):
    """An http image in commentary stops the build before any connection is made."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    port = server.getsockname()[1]
    connections = []

    def accept():
        try:
            connections.append(server.accept())
        except OSError:
            pass

    listener = threading.Thread(target=accept)
    listener.start()
    append_to("commentary.md", f"\n![chart](http://127.0.0.1:{port}/chart.png)\n")(report_dir)
    result = cli("build", report_dir, "-o", tmp_path / "out")
    listener.join()
    server.close()
    assert result.exit_code == 1
    assert re.search(rf"commentary\.md:\d+: reference to http://127\.0\.0\.1:{port}/chart\.png refused", result.stderr)
    assert connections == []


def test_theme_css_pointing_outside_is_refused(cli, tmp_path):
    theme = tmp_path / "leaky"
    (theme / "assets").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: leaky\nextends: investor-summary\n")
    (theme / "report.html").write_text(
        EXTENDS + "{% block extrahead %}<link rel=\"stylesheet\" href=\"{{ asset('leak.css') }}\">{% endblock %}\n")
    (theme / "assets" / "leak.css").write_text("body { background: url(file:///etc/passwd); }\n")
    result = cli("build", "--theme", theme, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "leak.css:1" in result.stderr and "file:///etc/passwd refused" in result.stderr
    assert not (tmp_path / "out").exists()
