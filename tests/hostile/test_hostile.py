"""The hostile corpus: report folders, themes and output paths written to break a build or read past it.

Every case runs `reporter build` in-process on a copy of Los Santos, over an output folder that
already holds a good PDF, and asserts what issue 7 promises: the exit code, exactly one stderr
line naming the file and the place, no traceback, the earlier PDF byte for byte, no temporary
file left, no byte of a secret file in anything written, and no connection to a listener on
127.0.0.1. Signals and concurrent builds need real processes: tests/test_hostile_processes.py.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from helpers import FIXTURES, REPO

SECRET_TOKEN = "TOPSECRET-7f3c9a-never-in-a-pdf"
PDF_NAME = "almonty-los-santos-mine-q3-2011-investor-summary.pdf"
EXTENDS = '{% extends "builtin:investor-summary/report.html" %}\n'
FIRST_VALUE = 'revenue,2011-06-30,3,"$4,421"'


@dataclass
class Env:
    """What a case may refer to: the listener's port and a secret file outside every allowed folder."""

    port: int
    secret: Path
    outside: Path

    def fill(self, text: str) -> str:
        return (text.replace("@PORT@", str(self.port)).replace("@SECRET@", str(self.secret))
                .replace("@OUTSIDE@", str(self.outside)))


Mutation = Callable[[Path, Env], "list[str] | None"]


# --- mutations --------------------------------------------------------------------------------

def replace_in(name: str, old: str, new: str) -> Mutation:
    def mutate(folder: Path, env: Env) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, env.fill(new), 1), encoding="utf-8")
    return mutate


def write(name: str, text: str | bytes) -> Mutation:
    def mutate(folder: Path, env: Env) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(env.fill(text), encoding="utf-8")
    return mutate


def append(name: str, text: str) -> Mutation:
    def mutate(folder: Path, env: Env) -> None:
        with (folder / name).open("a", encoding="utf-8") as stream:
            stream.write(env.fill(text))
    return mutate


def symlink(name: str, target: str) -> Mutation:
    def mutate(folder: Path, env: Env) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(env.fill(target))
    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(folder: Path, env: Env) -> list[str] | None:
        extra = None
        for mutation in mutations:
            extra = mutation(folder, env) or extra
        return extra
    return mutate


def value(text: str) -> Mutation:
    """Put `text` in the first figure's value cell (row 2)."""
    return replace_in("figures.csv", FIRST_VALUE, f"revenue,2011-06-30,3,{text}")


def months(text: str) -> Mutation:
    return replace_in("figures.csv", FIRST_VALUE, f'revenue,2011-06-30,{text},"$4,421"')


def period_end(text: str) -> Mutation:
    return replace_in("figures.csv", FIRST_VALUE, f'revenue,{text},3,"$4,421"')


def fx_rates(new: str) -> Mutation:
    """Replace report.yaml's whole fx_rates list with `new`."""
    def mutate(folder: Path, env: Env) -> None:
        path = folder / "report.yaml"
        kept = [line for line in path.read_text().splitlines(True) if "{base:" not in line]
        path.write_text("".join(kept).replace("fx_rates:\n", new, 1))
    return mutate


def setting(old: str, new: str) -> Mutation:
    return replace_in("report.yaml", old, new)


def template(body: str, name: str = "report.html") -> Mutation:
    return write(f"templates/{name}", body)


def block(body: str) -> Mutation:
    """An override of investor-summary whose `headline` block (line 2) holds `body`."""
    return template(EXTENDS + "{% block headline %}" + body + "{% endblock %}\n")


def extrahead(body: str) -> Mutation:
    return template(EXTENDS + "{% block extrahead %}" + body + "{% endblock %}\n")


def commentary_image(url: str) -> Mutation:
    return append("commentary.md", f"\n![chart]({url})\n")


def logo_svg(inner: str) -> Mutation:
    """Replace the company logo with an SVG whose second line is `inner`."""
    return write("assets/almonty-wordmark.svg",
                 '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                 'width="120" height="24" viewBox="0 0 120 24">\n' + inner + "\n</svg>\n")


def theme(files: dict[str, str], links: dict[str, str] | None = None) -> Mutation:
    """Make a theme folder beside the report folder and build with --theme."""
    def mutate(folder: Path, env: Env) -> list[str]:
        root = folder.parent / "agency-theme"
        for name, text in {"theme.yaml": "name: agency\nextends: investor-summary\n", **files}.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(env.fill(text), encoding="utf-8")
        for name, target in (links or {}).items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).symlink_to(env.fill(target))
        return ["--theme", str(root)]
    return mutate


def rows_of_figures(count: int) -> Mutation:
    def mutate(folder: Path, env: Env) -> None:
        with (folder / "figures.csv").open("a", encoding="utf-8") as stream:
            stream.write("".join(f"revenue,2001-06-30,{1 + i % 12},{i}\n" for i in range(count)))
    return mutate


def many_periods(count: int) -> Mutation:
    """Give every line a figure in `count` periods (all valid), to reach the periods limit."""
    def mutate(folder: Path, env: Env) -> None:
        path = folder / "figures.csv"
        lines = path.read_text(encoding="utf-8").splitlines(True)
        ids = list(dict.fromkeys(line.split(",")[0] for line in lines[1:]))
        extra = [f"{line_id},{1900 + year}-06-30,3,0\n" for year in range(count - 4) for line_id in ids]
        path.write_text("".join(lines + extra), encoding="utf-8")
    return mutate


def alias_bomb(levels: int = 10) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def wide_table(columns: int) -> str:
    return ("\n\n" + "|" + "|".join(f"c{i}" for i in range(columns)) + "|\n"
            + "|" + "|".join("---" for _ in range(columns)) + "|\n"
            + "|" + "|".join("1" for _ in range(columns)) + "|\n")


# --- the corpus -------------------------------------------------------------------------------
# (id, mutation, file named, place in the message, what the message says)

FIGURES = "figures.csv"
VALUE_CELL = 'row 2, column "value"'
BAD_FIGURES = [
    ("value-letter-l", value('"4,42l"'), FIGURES, VALUE_CELL, "not a number"),
    ("value-comma-decimal", value('"1,23"'), FIGURES, VALUE_CELL, "not a number"),
    ("value-arabic-indic-digits", value("٤٤٢١"), FIGURES, VALUE_CELL, "not a number"),
    ("value-fullwidth-digits", value("４４２１"), FIGURES, VALUE_CELL, "not a number"),
    ("value-devanagari-digits", value("४४२१"), FIGURES, VALUE_CELL, "not a number"),
    ("value-superscript", value("4421²"), FIGURES, VALUE_CELL, "not a number"),
    ("value-exponent", value("1e5"), FIGURES, VALUE_CELL, "not a number"),
    ("value-nan", value("NaN"), FIGURES, VALUE_CELL, "not a number"),
    ("value-infinity", value("Infinity"), FIGURES, VALUE_CELL, "not a number"),
    ("value-hex", value("0x10"), FIGURES, VALUE_CELL, "not a number"),
    ("value-underscores", value("1_000"), FIGURES, VALUE_CELL, "not a number"),
    ("value-double-minus", value("--5"), FIGURES, VALUE_CELL, "not a number"),
    ("value-unbalanced-parenthesis", value("(5"), FIGURES, VALUE_CELL, "not a number"),
    ("value-two-points", value("1.2.3"), FIGURES, VALUE_CELL, "not a number"),
    ("value-trailing-minus", value("5-"), FIGURES, VALUE_CELL, "not a number"),
    ("value-only-dollar", value("$"), FIGURES, VALUE_CELL, "not a number"),
    ("value-empty-parentheses", value("()"), FIGURES, VALUE_CELL, "not a number"),
    ("value-empty", value(""), FIGURES, VALUE_CELL, "empty value"),
    ("value-40-digits", value("1" * 40), FIGURES, VALUE_CELL, "40 digits, more than the limit of 18"),
    ("value-19-digits", value("9" * 19), FIGURES, VALUE_CELL, "limits.decimal_digits"),
    ("value-long-fraction", value("1." + "3" * 30), FIGURES, VALUE_CELL, "more than the limit of 18"),
    ("months-superscript-three", months("³"), FIGURES, 'row 2, column "months"', "not a number of months"),
    ("months-arabic-three", months("٣"), FIGURES, 'row 2, column "months"', "not a number of months"),
    ("months-fraction", months("3.7"), FIGURES, 'row 2, column "months"', "not a number of months"),
    ("months-zero", months("0"), FIGURES, 'row 2, column "months"', "not a number of months"),
    ("months-thirteen", months("13"), FIGURES, 'row 2, column "months"', "not a number of months"),
    ("months-negative", months("-3"), FIGURES, 'row 2, column "months"', "not a number of months"),
    ("date-february-30", period_end("2011-02-30"), FIGURES, 'row 2, column "period_end"', "not a date"),
    ("date-slashes", period_end("2011/06/30"), FIGURES, 'row 2, column "period_end"', "not a date"),
    ("date-arabic-digits", period_end("٢٠١١-٠٦-٣٠"), FIGURES, 'row 2, column "period_end"', "not a date"),
    ("restated-maybe", replace_in(FIGURES, "line_item,period_end,months,value\n" + FIRST_VALUE,
                                  "line_item,period_end,months,value,restated\n" + FIRST_VALUE + ",maybe"),
     FIGURES, 'row 2, column "restated"', "not true or false"),
    ("not-utf8-row-5", lambda folder, env: (folder / FIGURES).write_bytes(
        (folder / FIGURES).read_bytes().replace(b"revenue,2010-06-30,9", b"revenu\xe9,2010-06-30,9")) and None,
     FIGURES, "row 5", "not UTF-8 text: byte 0xe9 at byte offset"),
    ("too-many-rows", rows_of_figures(10_001), FIGURES, "", "more than the limit of 10,000"),
    ("too-many-periods", many_periods(25), FIGURES, "", "25 periods, more than the limit of 24"),
    ("unknown-line-item", replace_in(FIGURES, FIRST_VALUE, 'revenues,2011-06-30,3,"$4,421"'),
     FIGURES, 'row 2, column "line_item"', "unknown line item 'revenues'"),
    ("ragged-row", append(FIGURES, "revenue,2011-06-30,3,1,2,3\n"), FIGURES, "", "cannot read CSV"),
    ("binary-file", write(FIGURES, bytes(range(256)) * 4), FIGURES, "", "not UTF-8 text"),
    ("empty-file", write(FIGURES, ""), FIGURES, "", "the file is empty"),
    ("figures-is-a-folder", lambda folder, env: ((folder / FIGURES).unlink(), (folder / FIGURES).mkdir()) and None,
     FIGURES, "", "expected a file, found a folder"),
]

SETTINGS = "report.yaml"
BAD_SETTINGS = [
    ("alias-bomb", append(SETTINGS, alias_bomb()), SETTINGS, "report.yaml:", "aliases (*a0) are not allowed"),
    ("alias-simple", append(SETTINGS, "base: &b {x: 1}\ncopy: *b\n"), SETTINGS, "report.yaml:", "aliases (*b) are not allowed"),
    ("alias-merge-key", setting("period:\n", "defaults: &d {months: 3}\nperiod:\n  <<: *d\n"),
     SETTINGS, "report.yaml:", "aliases (*d) are not allowed"),
    ("unknown-key-typo", setting("tie_out_tolerance: 1", "tie_out_tolerence: 1"), SETTINGS, "",
     "unknown setting `tie_out_tolerence`; did you mean `tie_out_tolerance`?"),
    ("unknown-key-company", setting("  ticker: AII", "  tickr: AII"), SETTINGS, "", "did you mean `company.ticker`?"),
    ("unknown-key-reporting", setting("  currency: CAD", "  curency: CAD"), SETTINGS, "", "did you mean `reporting.currency`?"),
    ("unknown-key-period", setting("  months: 3", "  month: 3"), SETTINGS, "", "did you mean `period.months`?"),
    ("unknown-key-fx", setting('rate: "1.3934"', 'rat: "1.3934"'), SETTINGS, "", "did you mean `fx_rates.rate`?"),
    ("unknown-key-far-off", append(SETTINGS, "zzz_qqq: 1\n"), SETTINGS, "", "unknown setting `zzz_qqq`; known:"),
    ("logo-number", setting("logo: assets/almonty-wordmark.svg", "logo: 5"), SETTINGS, "", "company.logo"),
    ("logo-list", setting("logo: assets/almonty-wordmark.svg", "logo: [a, b]"), SETTINGS, "", "company.logo must be text"),
    ("logo-dev-zero", setting("logo: assets/almonty-wordmark.svg", "logo: /dev/zero"), SETTINGS, "", "outside the report folder"),
    ("logo-symlink-out", both(symlink("assets/evil.svg", "@SECRET@"),
                              setting("logo: assets/almonty-wordmark.svg", "logo: assets/evil.svg")),
     SETTINGS, "", "outside the report folder"),
    ("fx-rates-number", fx_rates("fx_rates: 5\n"), SETTINGS, "", "fx_rates must be a list"),
    ("fx-rates-item-number", fx_rates("fx_rates: [5]\n"), SETTINGS, "", "fx_rates item 1"),
    ("fx-rates-mapping", fx_rates("fx_rates: {EUR: 1.4}\n"), SETTINGS, "", "fx_rates must be a list"),
    ("period-months-fraction", setting("  months: 3", "  months: 3.7"), SETTINGS, "", "months must be a whole number"),
    ("period-months-superscript", setting("  months: 3", '  months: "³"'), SETTINGS, "", "months must be a whole number"),
    ("period-months-bool", setting("  months: 3", "  months: true"), SETTINGS, "", "months must be a whole number"),
    ("period-end-feb-30", setting("  end: 2011-06-30", "  end: 2011-02-30"), SETTINGS, "", "day is out of range"),
    ("tolerance-huge", setting("tie_out_tolerance: 1", "tie_out_tolerance: 1000000000"), SETTINGS, "",
     "tie_out_tolerance: 1000000000 is more than 100 units"),
    ("tolerance-negative", setting("tie_out_tolerance: 1", "tie_out_tolerance: -1"), SETTINGS, "", "tie_out_tolerance"),
    ("tolerance-nan", setting("tie_out_tolerance: 1", "tie_out_tolerance: .nan"), SETTINGS, "", "tie_out_tolerance"),
    ("tolerance-infinite", setting("tie_out_tolerance: 1", "tie_out_tolerance: .inf"), SETTINGS, "", "tie_out_tolerance"),
    ("tolerance-word", setting("tie_out_tolerance: 1", "tie_out_tolerance: some"), SETTINGS, "", "tie_out_tolerance"),
    ("decimals-seven", setting("  # decimals: 0", "  decimals: 7"), SETTINGS, "", "reporting.decimals"),
    ("decimals-six-25-digits", both(setting("  # decimals: 0", "  decimals: 6"), value("9" * 25)),
     FIGURES, VALUE_CELL, "25 digits, more than the limit of 18"),
    ("limits-zero", append(SETTINGS, "limits: {figures_rows: 0}\n"), SETTINGS, "", "limits.figures_rows must be a whole number from 1"),
    ("limits-removed", append(SETTINGS, "limits: {template_steps: null}\n"), SETTINGS, "", "limits can be raised, not removed"),
    ("limits-past-ceiling", append(SETTINGS, "limits: {figures_rows: 1000000000}\n"), SETTINGS, "", "from 1 to 1,000,000"),
    ("limits-bool", append(SETTINGS, "limits: {periods: true}\n"), SETTINGS, "", "limits.periods"),
    ("limits-typo", append(SETTINGS, "limits: {figure_rows: 20000}\n"), SETTINGS, "", "did you mean 'figures_rows'?"),
    ("limits-not-mapping", append(SETTINGS, "limits: 5\n"), SETTINGS, "", "limits must be a mapping"),
    ("limits-float", append(SETTINGS, "limits: {periods: 2.5}\n"), SETTINGS, "", "limits.periods"),
    ("locale-unknown", setting("locale: en_CA", "locale: xx_YY"), SETTINGS, "", "unknown locale"),
    ("scale-billions", setting("scale: thousands", "scale: billions"), SETTINGS, "", "scale must be one of"),
    ("currency-unknown", setting("currency: CAD", "currency: XYZ"), SETTINGS, "", "unknown currency code"),
    ("fiscal-year-end-13", setting('fiscal_year_end: "09-30"', 'fiscal_year_end: "13-30"'), SETTINGS, "", "fiscal_year_end"),
    ("narrative-word", setting("narrative: true", "narrative: sometimes"), SETTINGS, "", "narrative must be true or false"),
    ("key-figures-text", setting("key_figures:\n", "key_figures: revenue\nx_key_figures:\n"), SETTINGS, "", "unknown setting"),
    ("yaml-syntax", setting("  currency: CAD", "  currency: [CAD"), SETTINGS, "report.yaml:", "invalid YAML"),
    ("yaml-tab-indent", setting("  currency: CAD", "\tcurrency: CAD"), SETTINGS, "report.yaml:", "invalid YAML"),
    ("yaml-python-tag", append(SETTINGS, "evil: !!python/object/apply:os.system ['id']\n"), SETTINGS, "report.yaml:", "invalid YAML"),
    ("yaml-top-level-list", write(SETTINGS, "- a\n- b\n"), SETTINGS, "", "expected a mapping"),
    ("yaml-not-utf8", write(SETTINGS, b"company:\n  name: Almont\xff\n"), SETTINGS, "report.yaml:2", "not UTF-8 text: byte 0xff"),
    ("yaml-too-large", write(SETTINGS, "# " + "x" * 1_000_001 + "\n"), SETTINGS, "", "more than 1,000,000 bytes"),
    ("yaml-empty", write(SETTINGS, ""), SETTINGS, "", "missing setting `company`"),
    # libyaml stops at 1,000 levels, PyYAML (which reports mistakes) at Python's recursion limit.
    ("yaml-nested-deep", append(SETTINGS, "deep: " + "[" * 5000 + "]" * 5000 + "\n"), SETTINGS, "report.yaml",
     "nested too deeply"),
    ("yaml-nested-deep-mapping", append(SETTINGS, "deep: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n"), SETTINGS,
     "report.yaml", "nested too deeply"),
    ("yaml-nul-byte", append(SETTINGS, "evil: a\x00b\n"), SETTINGS, "report.yaml:", "character #x0000 is not allowed"),
    ("yaml-noncharacter", append(SETTINGS, "evil: a\ufffeb\n"), SETTINGS, "report.yaml:", "character #xfffe"),
    # libyaml alone would read these; PyYAML, and so a machine without libyaml, refuses them.
    ("yaml-tab-after-colon", setting("  currency: CAD", "  currency:\tCAD"), SETTINGS, "report.yaml:", "invalid YAML"),
    ("yaml-tab-before-comment", setting("  currency: CAD", "  currency: CAD\t# Canadian"), SETTINGS, "report.yaml:",
     "invalid YAML"),
    ("yaml-lone-surrogate", setting("  ticker: AII", '  ticker: "\\ud800"'), SETTINGS, "report.yaml:6",
     "character #xd800 is a lone surrogate"),
    ("yaml-second-document", append(SETTINGS, "---\nevil: 1\n"), SETTINGS, "report.yaml:", "another document"),
    ("yaml-huge-integer", append(SETTINGS, "limits: {periods: " + "9" * 5000 + "}\n"), SETTINGS, "", "report.yaml"),
    ("yaml-binary-tag", setting("  currency: CAD", "  currency: !!binary Q0FE"), SETTINGS, "", "currency"),
    ("yaml-set-tag", setting("  currency: CAD", "  currency: !!set {CAD}"), SETTINGS, "", "currency"),
    ("yaml-timestamp-name", setting("  ticker: AII", "  ticker: 2011-06-30 10:00:00"), SETTINGS, "", "ticker"),
    ("settings-symlink-to-dev-zero", lambda folder, env: ((folder / SETTINGS).unlink(), (folder / SETTINGS).symlink_to("/dev/zero")) and None,
     SETTINGS, "", "report.yaml"),
]

STATEMENT = "statement.yaml"
BAD_STATEMENT = [
    ("statement-alias-bomb", append(STATEMENT, alias_bomb()), STATEMENT, "statement.yaml:", "aliases (*a0) are not allowed"),
    ("statement-alias-line", replace_in(STATEMENT, "lines:\n", "lines:\n  - &r {id: extra, label: Extra}\n  - *r\n"),
     STATEMENT, "statement.yaml:", "aliases (*r) are not allowed"),
    ("statement-formula-unknown", replace_in(STATEMENT, "revenue - cost_of_sales", "revenue - cost_of_goods"),
     STATEMENT, "", "formula uses 'cost_of_goods'"),
    ("statement-syntax", append(STATEMENT, "lines: [\n"), STATEMENT, "statement.yaml:", "invalid YAML"),
    ("statement-not-utf8", write(STATEMENT, b"lines:\n  - {id: revenue, label: R\xe9venue}\n"), STATEMENT, "statement.yaml:2", "not UTF-8 text"),
    ("statement-python-tag", write(STATEMENT, "lines: !!python/name:os.system\n"), STATEMENT, "statement.yaml:", "invalid YAML"),
    ("statement-missing", lambda folder, env: (folder / STATEMENT).unlink(), STATEMENT, "", "file not found"),
    ("statement-symlink-out", lambda folder, env: ((folder / STATEMENT).unlink(), (folder / STATEMENT).symlink_to(env.secret)) and None,
     STATEMENT, "", "statement"),
]

COMMENTARY = "commentary.md"
BAD_COMMENTARY = [
    ("commentary-no-front-matter", write(COMMENTARY, "Just text.\n"), COMMENTARY, "commentary.md:1", "no front matter"),
    ("commentary-front-alias", replace_in(COMMENTARY, "---\nheadline:", "---\nx: &x [1]\ny: *x\nheadline:"),
     COMMENTARY, "commentary.md:", "aliases (*x) are not allowed"),
    ("commentary-front-bomb", write(COMMENTARY, "---\n" + alias_bomb() + "headline: x\n---\nText.\n"),
     COMMENTARY, "commentary.md:", "aliases (*a0) are not allowed"),
    ("commentary-dateline-feb-30", replace_in(COMMENTARY, "dateline: October 3, 2011", "dateline: 2011-02-30"),
     COMMENTARY, "", "day is out of range"),
    ("commentary-front-syntax", replace_in(COMMENTARY, "dateline: October 3, 2011", "dateline: [October"),
     COMMENTARY, "commentary.md:", "invalid front matter"),
    ("commentary-unknown-key", replace_in(COMMENTARY, "dateline: October 3, 2011", "dateline: October 3, 2011\nauthor: x"),
     COMMENTARY, "", "unknown front matter key(s): author"),
    ("commentary-not-utf8", lambda folder, env: (folder / COMMENTARY).write_bytes(
        (folder / COMMENTARY).read_bytes().replace(b"dateline: October", b"dateline: Octobre \xe9")) and None,
     COMMENTARY, "commentary.md:6", "not UTF-8 text: byte 0xe9"),
    ("commentary-too-large", append(COMMENTARY, "\n" + ("Lorem ipsum dolor. " * 60_000)), COMMENTARY, "",
     "limits.commentary_bytes"),
    ("commentary-wide-table", append(COMMENTARY, wide_table(21)), COMMENTARY, "commentary.md:", "more than 20 columns"),
    ("commentary-image-passwd", commentary_image("file:///etc/passwd"), COMMENTARY, "commentary.md:", "file:///etc/passwd refused"),
    ("commentary-image-secret", commentary_image("file://@SECRET@"), COMMENTARY, "commentary.md:", "outside the report and theme folders"),
    ("commentary-image-relative-escape", commentary_image("../../../../../../etc/passwd"), COMMENTARY, "", "outside the report and theme folders"),
    # A sibling folder (another report of the same run): the message names the line that wrote it.
    ("commentary-image-sibling-folder", commentary_image("../outside/secret.png"), COMMENTARY, "commentary.md:",
     "outside the report and theme folders"),
    ("commentary-image-sibling-folder-dotted", commentary_image("./assets/../../outside/secret.png"), COMMENTARY,
     "commentary.md:", "outside the report and theme folders"),
    # The whole assets/ folder linked out: the file gate resolved it into a root of its own, so
    # everything under the target (/, a sibling report of the same run) was readable.
    ("assets-folder-linked-out", both(setting("  logo: assets/almonty-wordmark.svg\n", ""),
                                      lambda folder, env: __import__("shutil").rmtree(folder / "assets"),
                                      symlink("assets", "@OUTSIDE@"), commentary_image("assets/secret.png")),
     COMMENTARY, "commentary.md:", "outside the report and theme folders"),
    ("assets-folder-linked-to-root", both(setting("  logo: assets/almonty-wordmark.svg\n", ""),
                                          lambda folder, env: __import__("shutil").rmtree(folder / "assets"),
                                          symlink("assets", "/"), commentary_image("assets@SECRET@")),
     COMMENTARY, "commentary.md:", "outside the report and theme folders"),
    ("commentary-image-dev-zero", commentary_image("file:///dev/zero"), COMMENTARY, "commentary.md:", "refused"),
    ("commentary-image-dev-urandom", commentary_image("/dev/urandom"), COMMENTARY, "", "refused"),
    ("commentary-image-proc", commentary_image("file:///proc/self/environ"), COMMENTARY, "commentary.md:", "refused"),
    ("commentary-image-symlink", both(symlink("assets/photo.png", "@SECRET@"), commentary_image("assets/photo.png")),
     COMMENTARY, "", "outside the report and theme folders"),
    ("commentary-image-symlinked-folder", both(symlink("assets/outside", "@OUTSIDE@"), commentary_image("assets/outside/secret.png")),
     COMMENTARY, "", "outside the report and theme folders"),
    ("commentary-image-folder", commentary_image("assets/"), COMMENTARY, "", "no such file"),
    ("commentary-image-missing", commentary_image("assets/nope.png"), COMMENTARY, "", "no such file"),
    ("commentary-image-http", commentary_image("http://127.0.0.1:@PORT@/a.png"), COMMENTARY, "commentary.md:", "never the network"),
    ("commentary-image-https", commentary_image("https://127.0.0.1:@PORT@/a.png"), COMMENTARY, "commentary.md:", "never the network"),
    ("commentary-image-file-one-slash", commentary_image("file:/etc/passwd"), COMMENTARY, "commentary.md:", "refused"),
    ("commentary-image-protocol-relative", commentary_image("//127.0.0.1:@PORT@/a.png"), COMMENTARY, "", "refused"),
    ("commentary-image-localhost-file", commentary_image("file://localhost/etc/passwd"), COMMENTARY, "", "refused"),
    ("commentary-image-encoded-escape", commentary_image("assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"), COMMENTARY, "", "refused"),
    ("commentary-duplicate-section", append(COMMENTARY, "\n## About Almonty {#about}\n\nAgain.\n"), COMMENTARY, "commentary.md:", "two sections with the id"),
]

REPORT_HTML = "templates/report.html"
TEMPLATE_LINE = "report.html:2"
SANDBOX = "refused by the template sandbox"
BAD_TEMPLATES = [
    ("ssti-cycler-globals", block("{{ cycler.__init__.__globals__.os.popen('id').read() }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-joiner-globals", block("{{ joiner.__init__.__globals__.os.popen('id').read() }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-namespace-globals", block("{{ namespace.__init__.__globals__ }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-lipsum-globals", block("{{ lipsum.__globals__['os'].popen('id').read() }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-str-mro", block("{{ ''.__class__.__mro__ }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-subclasses", block("{{ ().__class__.__base__.__subclasses__() }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-context-class", block("{{ report.__class__ }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-self-context", block("{{ self._TemplateReference__context }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-asset-globals", block("{{ asset.__globals__ }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-filter-globals", block("{{ (report.subject|attr('__class__')) }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-format-string", block("{{ '{0.__class__.__mro__}'.format(report.subject) }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-format-map", block("{{ '{x.__class__}'.format_map({'x': 1}) }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-func-code", block("{{ asset.__code__ }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("ssti-gi-frame", block("{{ (range(3)|map('string')).gi_frame }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("mutate-list-append", block("{{ statement.rows.append(1) }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("mutate-dict-update", block("{{ theme.update({'name': 'x'}) }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("mutate-dict-clear", block("{{ css_variables.clear() }}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("range-billion", block("{% for i in range(10**9) %}x{% endfor %}"), REPORT_HTML, TEMPLATE_LINE, SANDBOX),
    ("range-over-limit", block("{% for i in range(100001) %}x{% endfor %}"), REPORT_HTML, TEMPLATE_LINE, "Range too big"),
    ("nested-loops", block("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"),
     REPORT_HTML, TEMPLATE_LINE, "more than 1,000,000 steps"),
    ("nested-data-loops", block("{% for a in range(10000) %}{% for b in statement.rows %}{% for c in statement.rows %}{% for d in statement.rows %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"),
     REPORT_HTML, TEMPLATE_LINE, "steps"),
    ("string-times-billion", block("{{ 'x' * 10**9 }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("list-times-billion", block("{{ [1] * 100000000 }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("power-tower", block("{{ 2 ** 100000 }}"), REPORT_HTML, TEMPLATE_LINE, "too large a number"),
    ("center-billion", block("{{ 'x'|center(1000000000) }}"), REPORT_HTML, TEMPLATE_LINE, "too large an argument"),
    ("indent-billion", block("{{ 'x y'|indent(1000000000) }}"), REPORT_HTML, TEMPLATE_LINE, "too large an argument"),
    ("concat-doubling", block("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"),
     REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("join-doubling", block("{% set ns = namespace(s=['x']) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|join }}"),
     REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    # One call whose result dwarfs its arguments: sized before it is built, not after.
    ("indent-many-lines", block("{{ ('x\\n' * 1000)|indent(9999999) }}"), REPORT_HTML, TEMPLATE_LINE, "10,010,000,999 characters"),
    ("replace-fan-out-filter", block("{{ ('x' * 100000)|replace('x', 'y' * 100000) }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("replace-fan-out-method", block("{{ ('x' * 100000).replace('x', 'y' * 100000) }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("join-huge-separator", block("{{ range(100000)|join('x' * 9999999) }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("join-method-huge-separator", block("{{ ('x' * 9999999).join(['a'] * 1000) }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("expandtabs-huge", block("{{ ('\\t' * 10000).expandtabs(9999999) }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("format-filter-width", block("{{ '%999999999d'|format(1) }}"), REPORT_HTML, TEMPLATE_LINE, "1,000,000,042 characters"),
    ("percent-operator-width", block("{{ '%999999999d' % 1 }}"), REPORT_HTML, TEMPLATE_LINE, "1,000,000,042 characters"),
    ("str-format-width", block("{{ '{:>999999999}'.format(1) }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("str-format-map-width", block("{{ '{x:>999999999}'.format_map({'x': 1}) }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("str-format-width-long-digits", block("{{ ('{:>' ~ '9' * 5000 ~ '}').format(1) }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("lipsum-millions", block("{{ lipsum(9999999) }}"), REPORT_HTML, TEMPLATE_LINE, "limits.template_text"),
    ("map-upper-total", block("{% set xs = ['x'.ljust(9999999)] * 1000 %}{{ xs|map('upper')|list|length }}"),
     REPORT_HTML, TEMPLATE_LINE, "in all, more than 10 times"),
    ("wordwrap-slow-one-call", both(append(SETTINGS, "limits: {template_seconds: 1}\n"), block("{{ ('x ' * 4000000)|wordwrap(1) }}")),
     REPORT_HTML, TEMPLATE_LINE, "took more than 1 s to render"),
    ("macro-recursion", block("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}"), REPORT_HTML, "", "without end"),
    ("extends-itself", template('{% extends "report.html" %}\n'), REPORT_HTML, "report.html:1", "without end"),
    ("extends-loop", both(template('{% extends "a.html" %}\n'), template('{% extends "report.html" %}\n', "a.html")),
     "templates/", "", "without end"),
    ("include-loop", both(block("{% include 'a.html' %}"), template("{% include 'a.html' %}\n", "a.html")),
     "templates/a.html", "a.html:1", "without end"),
    ("include-symlink-passwd", both(symlink("templates/passwd.html", "/etc/passwd"), block("{% include 'passwd.html' %}")),
     REPORT_HTML, TEMPLATE_LINE, "'passwd.html' refused: it resolves to /etc/passwd"),
    ("include-symlink-secret", both(symlink("templates/secret.html", "@SECRET@"), block("{% include 'secret.html' %}")),
     REPORT_HTML, TEMPLATE_LINE, "outside the theme and report folders"),
    ("include-symlinked-folder", both(symlink("templates/etc", "/etc"), block("{% include 'etc/hostname' %}")),
     REPORT_HTML, TEMPLATE_LINE, "outside the theme and report folders"),
    ("include-symlinked-outside-folder", both(symlink("templates/out", "@OUTSIDE@"), block("{% include 'out/secret.png' %}")),
     REPORT_HTML, TEMPLATE_LINE, "outside the theme and report folders"),
    ("import-symlink", both(symlink("templates/macros.html", "@SECRET@"), block("{% import 'macros.html' as m %}")),
     REPORT_HTML, TEMPLATE_LINE, "outside the theme and report folders"),
    ("report-html-is-symlink", symlink("templates/report.html", "@SECRET@"), "", "", "outside the theme and report folders"),
    ("templates-folder-symlink", both(lambda folder, env: (env.outside / "report.html").write_text("{{ report }}") and None,
                                      symlink("templates", "@OUTSIDE@")), "", "",
     "outside the theme and report folders"),
    ("include-absolute", block("{% include '/etc/passwd' %}"), REPORT_HTML, TEMPLATE_LINE, "template not found"),
    ("include-dotdot", block("{% include '../../../../../etc/passwd' %}"), REPORT_HTML, TEMPLATE_LINE, "template not found"),
    ("include-builtin-dotdot", block("{% include 'builtin:../../../../etc/passwd' %}"), REPORT_HTML, TEMPLATE_LINE, "template not found"),
    ("asset-dotdot", extrahead('<link rel="attachment" href="{{ asset(\'../../../../../../../../etc/passwd\') }}">'),
     REPORT_HTML, "", "missing asset"),  # asset() answers alike for missing and refused
    ("undefined-variable", block("{{ report.ceo }}"), REPORT_HTML, TEMPLATE_LINE, "undefined variable"),
    ("syntax-error", block("{% if %}"), REPORT_HTML, TEMPLATE_LINE, "template error"),
    ("unknown-filter", block("{{ report.subject | shout }}"), REPORT_HTML, TEMPLATE_LINE, "No filter named 'shout'"),
    ("division-by-zero", block("{{ 1 / 0 }}"), REPORT_HTML, TEMPLATE_LINE, "division by zero"),
    ("link-attachment-passwd", extrahead('<link rel="attachment" href="file:///etc/passwd">'), REPORT_HTML, TEMPLATE_LINE, "file:///etc/passwd refused"),
    ("link-attachment-secret", extrahead('<link rel="attachment" href="file://@SECRET@">'), REPORT_HTML, TEMPLATE_LINE, "refused"),
    ("img-http-listener", extrahead('<img src="http://127.0.0.1:@PORT@/pixel.png">'), REPORT_HTML, TEMPLATE_LINE, "never the network"),
    ("stylesheet-http-listener", extrahead('<link rel="stylesheet" href="http://127.0.0.1:@PORT@/x.css">'), REPORT_HTML, TEMPLATE_LINE, "never the network"),
    ("style-import-http", extrahead('<style>@import url("http://127.0.0.1:@PORT@/x.css");</style>'), REPORT_HTML, TEMPLATE_LINE, "never the network"),
    ("style-background-file", extrahead("<style>body { background: url(file:///etc/passwd) }</style>"), REPORT_HTML, TEMPLATE_LINE, "refused"),
    ("style-font-face-file", extrahead("<style>@font-face { font-family: x; src: url(file://@SECRET@) } body { font-family: x }</style>"),
     REPORT_HTML, TEMPLATE_LINE, "refused"),
    ("object-data-file", extrahead('<object data="file:///etc/passwd"></object>'), REPORT_HTML, TEMPLATE_LINE, "refused"),
    ("embed-src-http", extrahead('<embed src="http://127.0.0.1:@PORT@/x.svg">'), REPORT_HTML, TEMPLATE_LINE, "refused"),
    ("inline-svg-image-file", extrahead('<svg width="10" height="10"><image href="file:///etc/passwd" width="10" height="10"/></svg>'),
     REPORT_HTML, TEMPLATE_LINE, "refused"),
]

SVG = "assets/almonty-wordmark.svg"
BAD_SVG = [
    ("svg-image-passwd", logo_svg('<image href="file:///etc/passwd" width="10" height="10"/>'), SVG, "almonty-wordmark.svg:2", "file:///etc/passwd refused"),
    ("svg-image-secret", logo_svg('<image href="file://@SECRET@" width="10" height="10"/>'), SVG, "almonty-wordmark.svg:2", "refused"),
    ("svg-image-xlink", logo_svg('<image xlink:href="file:///etc/passwd" width="10" height="10"/>'), SVG, "almonty-wordmark.svg:2", "refused"),
    ("svg-image-http", logo_svg('<image href="http://127.0.0.1:@PORT@/x.png" width="10" height="10"/>'), SVG, "almonty-wordmark.svg:2", "never the network"),
    ("svg-image-relative-escape", logo_svg('<image href="../../../../../../../etc/passwd" width="10" height="10"/>'), SVG, "", "refused"),
    ("svg-image-dev-urandom", logo_svg('<image href="file:///dev/urandom" width="10" height="10"/>'), SVG, "almonty-wordmark.svg:2", "refused"),
    ("svg-image-proc", logo_svg('<image href="file:///proc/self/environ" width="10" height="10"/>'), SVG, "almonty-wordmark.svg:2", "refused"),
    # An SVG inside the SVG (a data: URL) whose own image points outside: refused all the same.
    ("svg-nested-data-svg", logo_svg('<image href="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCI+PGltYWdlIGhyZWY9ImZpbGU6Ly8vZXRjL3Bhc3N3ZCIgd2lkdGg9IjEwIiBoZWlnaHQ9IjEwIi8+PC9zdmc+" width="10" height="10"/>'),
     "", "", "file:///etc/passwd refused"),
    ("svg-image-symlink", both(symlink("assets/pixel.png", "@SECRET@"), logo_svg('<image href="pixel.png" width="10" height="10"/>')),
     SVG, "", "outside the report and theme folders"),
    ("svg-in-commentary", both(write("assets/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n'
                                                         '<image href="file:///etc/passwd" width="10" height="10"/>\n</svg>\n'),
                               commentary_image("assets/chart.svg")),
     "assets/chart.svg", "chart.svg:2", "file:///etc/passwd refused"),
]

THEME = "agency-theme"
BAD_THEMES = [
    ("theme-ssti", theme({"report.html": EXTENDS + "{% block headline %}{{ cycler.__init__.__globals__ }}{% endblock %}\n"}),
     f"{THEME}/report.html", "report.html:2", SANDBOX),
    ("theme-report-html-symlink", theme({}, {"report.html": "@SECRET@"}), "", "", "outside the theme and report folders"),
    ("theme-include-symlink", theme({"report.html": EXTENDS + "{% block headline %}{% include 'x.html' %}{% endblock %}\n"},
                                    {"x.html": "/etc/passwd"}),
     f"{THEME}/report.html", "report.html:2", "outside the theme and report folders"),
    ("theme-css-file-url", theme({"report.html": EXTENDS + "{% block extrahead %}<link rel=\"stylesheet\" href=\"{{ asset('leak.css') }}\">{% endblock %}\n",
                                  "assets/leak.css": "body { background: url(file:///etc/passwd); }\n"}),
     "leak.css", "leak.css:1", "file:///etc/passwd refused"),
    ("theme-css-http", theme({"report.html": EXTENDS + "{% block extrahead %}<link rel=\"stylesheet\" href=\"{{ asset('net.css') }}\">{% endblock %}\n",
                              "assets/net.css": "@import url(http://127.0.0.1:@PORT@/x.css);\n"}),
     "net.css", "net.css:1", "never the network"),
    ("theme-asset-symlink", theme({"report.html": EXTENDS + "{% block extrahead %}<link rel=\"stylesheet\" href=\"{{ asset('x.css') }}\">{% endblock %}\n"},
                                  {"assets/x.css": "@SECRET@"}),
     "", "", "missing asset 'x.css'"),
    ("theme-yaml-alias-bomb", theme({"theme.yaml": "name: agency\nextends: investor-summary\n" + alias_bomb()}),
     "theme.yaml", "theme.yaml:", "aliases (*a0) are not allowed"),
    ("theme-yaml-syntax", theme({"theme.yaml": "name: [agency\n"}), "theme.yaml", "theme.yaml:", "invalid YAML"),
    ("theme-yaml-list", theme({"theme.yaml": "- agency\n"}), "theme.yaml", "", "expected a mapping"),
    ("theme-extends-unknown", theme({"theme.yaml": "name: agency\nextends: nothing-like-it\n"}), "", "", "unknown template 'nothing-like-it'"),
    ("theme-css-injection", theme({"theme.yaml": "name: agency\nextends: investor-summary\nbrand: {primary: 'red; } body { background: url(file:///etc/passwd)'}\n"}),
     "theme.yaml", "", "is not a plain CSS value"),
    # WeasyPrint paginates for ever when a page leaves no room for a line: bounded in theme.yaml.
    ("theme-page-tiny", theme({"theme.yaml": "name: agency\nextends: investor-summary\npage: {size: '0.01mm 0.01mm'}\n"}),
     "theme.yaml", "", "each side of the page must be from 100 mm"),
    ("theme-page-huge", theme({"theme.yaml": "name: agency\nextends: investor-summary\npage: {size: '100000in 100000in'}\n"}),
     "theme.yaml", "", "200 in"),
    ("theme-margin-wider-than-page", theme({"theme.yaml": "name: agency\nextends: investor-summary\npage: {margin: 500mm}\n"}),
     "theme.yaml", "", "too wide a margin"),
    ("theme-margin-percent", theme({"theme.yaml": "name: agency\nextends: investor-summary\npage: {margin: '60%'}\n"}),
     "theme.yaml", "", "too wide a margin"),
    ("theme-max-steps-word", theme({"theme.yaml": "name: agency\nextends: investor-summary\nmax_steps: many\n"}),
     "theme.yaml", "", "max_steps"),
    ("theme-font-css-dev-zero", theme({"theme.yaml": "name: agency\nextends: investor-summary\nfonts: {body: 'Foo, sans-serif'}\n"},
                                      {"assets/z.css": "/dev/zero"}),
     "z.css", "", "a symlink to a file outside its folder"),
    ("theme-font-css-huge", both(theme({"theme.yaml": "name: agency\nextends: investor-summary\nfonts: {body: 'Foo, sans-serif'}\n"}),
                                 lambda folder, env: sparse("../agency-theme/assets/big.css", HUGE)(folder, env)),
     "big.css", "", "more than 20,000,000 bytes"),
    ("theme-yaml-not-utf8", both(theme({}), lambda folder, env: (folder.parent / THEME / "theme.yaml").write_bytes(b"name: agenc\xe9\n") and None),
     "theme.yaml", "theme.yaml:1", "not UTF-8 text"),
]


def output(args: list[str]) -> Mutation:
    def mutate(folder: Path, env: Env) -> list[str]:
        return [env.fill(a).replace("@FOLDER@", str(folder)) for a in args]
    return mutate


BAD_OUTPUTS = [
    ("output-existing-file-no-suffix", both(write("plain-file", "x"), output(["-o", "@FOLDER@/plain-file"])),
     "", "", "is an existing file, not a folder"),
    ("output-dev-full", output(["-o", "/dev/full"]), "", "/dev/full", "is an existing file, not a folder"),
    ("output-dev-null", output(["-o", "/dev/null"]), "", "/dev/null", "is an existing file, not a folder"),
    ("output-below-a-file", both(write("plain-file", "x"), output(["-o", "@FOLDER@/plain-file/sub"])),
     "plain-file", "", "cannot create the output folder"),
    ("output-suffix-mismatch", output(["-o", "@FOLDER@/x.html"]), "", "x.html", "but the format is pdf"),
    ("output-format-mismatch", output(["-f", "html", "-o", "@FOLDER@/x.pdf"]), "", "x.pdf", "but the format is html"),
    ("format-unknown", output(["-f", "docx"]), "", "", "--format must be pdf or html"),
]


def sparse(name: str, size: int) -> Mutation:
    """A file of `size` bytes that costs no disk (a hole): reading it whole would still take the memory."""
    def mutate(folder: Path, env: Env) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as stream:
            stream.truncate(size)
    return mutate


def fifo(name: str) -> Mutation:
    def mutate(folder: Path, env: Env) -> None:
        import os
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(folder / name)
    return mutate


def as_html(mutation: Mutation) -> Mutation:
    """The same input built with `-f html`, whose self-contained export inlines files itself."""
    def mutate(folder: Path, env: Env) -> list[str]:
        return (mutation(folder, env) or []) + ["-f", "html"]
    return mutate


def stylesheet(name: str, css: str) -> Mutation:
    """A report stylesheet `assets/NAME` holding `css`, linked from the template's extrahead."""
    return both(write(f"assets/{name}", css),
                extrahead(f'<link rel="stylesheet" href="assets/{name}">'))


ASSET_LIMIT = "limits.asset_bytes"
HUGE = 20_000_001
# Import fan-out: each stylesheet imports the next twice, so 12 small files would inline 4,096 copies.
FANOUT = [write(f"assets/f{i}.css", f'@import "f{i + 1}.css";\n@import "f{i + 1}.css";\n' + "/*" + "x" * 2000 + "*/\n")
          for i in range(12)] + [write("assets/f12.css", "body {}\n")]
BAD_FILES = [
    ("asset-huge-image", both(sparse("assets/huge.png", HUGE), commentary_image("assets/huge.png")),
     COMMENTARY, "", ASSET_LIMIT),
    ("asset-huge-image-html", as_html(both(sparse("assets/huge.png", HUGE), commentary_image("assets/huge.png"))),
     COMMENTARY, "", ASSET_LIMIT),
    ("asset-huge-stylesheet", both(sparse("assets/big.css", HUGE), extrahead('<link rel="stylesheet" href="assets/big.css">')),
     REPORT_HTML, TEMPLATE_LINE, ASSET_LIMIT),
    ("asset-huge-stylesheet-html", as_html(both(sparse("assets/big.css", HUGE),
                                                extrahead('<link rel="stylesheet" href="assets/big.css">'))),
     REPORT_HTML, TEMPLATE_LINE, ASSET_LIMIT),
    ("asset-huge-font", stylesheet("font.css", '@font-face { font-family: x; src: url("huge.ttf") } body { font-family: x }\n'),
     "", "", "no such file"),
    ("asset-huge-font-real", both(sparse("assets/huge.ttf", HUGE),
                                  stylesheet("font.css", '@font-face { font-family: x; src: url("huge.ttf") } body { font-family: x }\n')),
     "font.css", "font.css:1", ASSET_LIMIT),
    ("asset-limit-lowered-logo", append(SETTINGS, "limits: {asset_bytes: 1000}\n"), "", "", "larger than 1,000 bytes"),
    ("asset-limit-lowered-logo-html", as_html(append(SETTINGS, "limits: {asset_bytes: 1000}\n")), "", "", "larger than 1,000 bytes"),
    ("asset-limit-past-ceiling", append(SETTINGS, "limits: {asset_bytes: 2000000001}\n"), SETTINGS, "", "from 1 to 2,000,000,000"),
    ("asset-fifo-image", both(fifo("assets/pipe.png"), commentary_image("assets/pipe.png")), COMMENTARY, "", "no such file"),
    ("asset-fifo-image-html", as_html(both(fifo("assets/pipe.png"), commentary_image("assets/pipe.png"))), COMMENTARY, "", "no such file"),
    ("html-image-passwd", as_html(commentary_image("file:///etc/passwd")), COMMENTARY, "commentary.md:", "file:///etc/passwd refused"),
    ("html-image-secret", as_html(commentary_image("file://@SECRET@")), COMMENTARY, "commentary.md:", "outside the report and theme folders"),
    ("html-image-symlink", as_html(both(symlink("assets/photo.png", "@SECRET@"), commentary_image("assets/photo.png"))),
     COMMENTARY, "", "outside the report and theme folders"),
    ("html-image-symlinked-folder", as_html(both(symlink("assets/outside", "@OUTSIDE@"), commentary_image("assets/outside/secret.png"))),
     COMMENTARY, "", "outside the report and theme folders"),
    ("html-image-relative-escape", as_html(commentary_image("../../../../../../etc/passwd")), COMMENTARY, "", "outside the report and theme folders"),
    ("html-image-encoded-escape", as_html(commentary_image("assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")), COMMENTARY, "", "refused"),
    ("html-image-dev-zero", as_html(commentary_image("file:///dev/zero")), COMMENTARY, "commentary.md:", "refused"),
    ("html-image-proc", as_html(commentary_image("file:///proc/self/environ")), COMMENTARY, "commentary.md:", "refused"),
    ("html-image-http", as_html(commentary_image("http://127.0.0.1:@PORT@/a.png")), COMMENTARY, "commentary.md:", "never the network"),
    ("html-image-protocol-relative", as_html(commentary_image("//127.0.0.1:@PORT@/a.png")), COMMENTARY, "", "refused"),
    ("html-style-background-passwd", as_html(extrahead("<style>body { background: url(file:///etc/passwd) }</style>")),
     REPORT_HTML, TEMPLATE_LINE, "refused"),
    ("html-style-attribute-secret", as_html(block('<p style="background: url(\'file://@SECRET@\')">x</p>')),
     REPORT_HTML, TEMPLATE_LINE, "refused"),
    ("html-style-import-http", as_html(extrahead('<style>@import url("http://127.0.0.1:@PORT@/x.css");</style>')),
     REPORT_HTML, TEMPLATE_LINE, "never the network"),
    ("html-svg-image-in-style", as_html(extrahead('<svg width="10" height="10"><image href="file:///etc/passwd" width="10" height="10"/></svg>')),
     REPORT_HTML, TEMPLATE_LINE, "refused"),
    ("html-theme-asset-symlink", as_html(theme({"report.html": EXTENDS + "{% block extrahead %}<link rel=\"stylesheet\" href=\"{{ asset('x.css') }}\">{% endblock %}\n"},
                                               {"assets/x.css": "@SECRET@"})),
     "", "", "missing asset 'x.css'"),
    ("html-css-imports-itself", as_html(stylesheet("self.css", '@import "self.css";\nbody {}\n')), "", "", "the stylesheet imports itself"),
    ("html-css-import-loop", as_html(both(write("assets/b.css", '@import "a.css";\n'), stylesheet("a.css", '@import "b.css";\n'))),
     "", "", "the stylesheet imports itself"),
    ("html-css-import-fanout", as_html(both(*FANOUT, append(SETTINGS, "limits: {asset_bytes: 1000000}\n"),
                                            extrahead('<link rel="stylesheet" href="assets/f0.css">'))),
     "", "", "5 times limits.asset_bytes"),
    ("css-import-fanout", both(*FANOUT, append(SETTINGS, "limits: {asset_bytes: 1000000}\n"),
                               extrahead('<link rel="stylesheet" href="assets/f0.css">')),
     "", "", "5 times limits.asset_bytes"),
    ("html-css-not-utf8", as_html(both(write("assets/latin.css", b"body { font-family: \"Caf\xe9\" }\n"),
                                       extrahead('<link rel="stylesheet" href="assets/latin.css">'))),
     "", "", "not UTF-8 text: byte 0xe9"),
    ("html-css-import-secret", as_html(stylesheet("leak.css", '@import "file://@SECRET@";\n')), "leak.css", "leak.css:1", "refused"),
]


CORPUS = BAD_FIGURES + BAD_SETTINGS + BAD_STATEMENT + BAD_COMMENTARY + BAD_TEMPLATES + BAD_SVG + BAD_THEMES + BAD_OUTPUTS + BAD_FILES


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def earlier_pdf(tmp_path_factory, example_dir) -> bytes:
    """Build the good PDF once; every case starts from a copy of it in its output folder."""
    from reporter.build.document import build_report
    from reporter.build.outputs import OutputFormat

    out = tmp_path_factory.mktemp("earlier")
    path = build_report(example_dir, template="investor-summary", theme_dir=None, output=out,
                        output_format=OutputFormat.pdf)
    assert path.name == PDF_NAME
    return path.read_bytes()


@pytest.fixture(scope="module")
def listener():
    """A TCP listener on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    connections: list = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                connections.append(connection.recv(1024))
                connection.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def env(tmp_path, listener) -> Env:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.png"
    secret.write_text(SECRET_TOKEN + "\n")
    return Env(port=listener[0], secret=secret, outside=outside)


def assert_one_clear_line(result, file: str, place: str, says: str) -> str:
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert file in message and place in message and says in message, message
    return message


@pytest.mark.parametrize(("case", "mutate", "file", "place", "says"), CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_input_fails_closed(cli, report_dir, tmp_path, env, listener, earlier_pdf,
                                    case, mutate, file, place, says):
    out = tmp_path / "out"
    out.mkdir()
    (out / PDF_NAME).write_bytes(earlier_pdf)
    extra = mutate(report_dir, env) or []
    if "-o" not in extra:
        extra += ["-o", str(out)]
    connections_before = len(listener[1])

    result = cli("build", report_dir, *extra)

    assert result.exit_code == 1, (result.exit_code, result.output, result.stderr)
    assert_one_clear_line(result, file, place, says)
    assert (out / PDF_NAME).read_bytes() == earlier_pdf  # the earlier PDF, byte for byte
    assert sorted(p.name for p in out.iterdir()) == [PDF_NAME]  # nothing new, no temporary file
    assert not list(report_dir.parent.rglob("*.part"))
    written = b"".join(p.read_bytes() for p in out.iterdir()) + result.output.encode()
    assert SECRET_TOKEN.encode() not in written
    assert b"root:x:0:0" not in written
    assert len(listener[1]) == connections_before, listener[1]


def test_corpus_is_large_and_ids_are_unique():
    ids = [case[0] for case in CORPUS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 150, len(ids)


# --- the limits can be raised ------------------------------------------------------------------

NO_ENV = Env(port=0, secret=Path("/nonexistent"), outside=Path("/nonexistent"))


def test_raised_limit_lets_the_figure_through(report_dir):
    """A 19-digit figure passes once limits.decimal_digits allows it; the tie-out then names it."""
    from reporter.errors import StatementError
    from reporter.data.report import load_report

    value("9" * 19)(report_dir, NO_ENV)
    with (report_dir / "report.yaml").open("a") as stream:
        stream.write("limits: {decimal_digits: 20}\n")
    report = load_report(report_dir)
    assert any(r.status.value != "ties" for r in report.tie_outs)
    with pytest.raises(StatementError):
        from reporter.data.validate import require_tie_outs
        require_tie_outs(report.tie_outs, report.settings)


def test_raised_template_steps_let_a_long_loop_render(cli, report_dir, tmp_path):
    block("{% for i in range(12) %}{% for j in range(99999) %}{% endfor %}{% endfor %}")(report_dir, NO_ENV)
    assert cli("build", report_dir, "-f", "html", "-o", tmp_path / "a").exit_code == 1
    with (report_dir / "report.yaml").open("a") as stream:
        stream.write("limits: {template_steps: 2000000}\n")
    result = cli("build", report_dir, "-f", "html", "-o", tmp_path / "b")
    assert result.exit_code == 0, result.stderr


def test_a_sandboxed_template_still_renders_the_report(cli, report_dir, tmp_path):
    """The sandbox refuses internals, not ordinary template code: loops, macros, filters, namespace."""
    block("{% macro up(s) %}{{ s|upper }}{% endmacro %}{% set ns = namespace(n=0) %}"
          "{% for row in statement.rows %}{% set ns.n = ns.n + 1 %}{% endfor %}"
          "<p>{{ up(report.subject) }} has {{ ns.n }} lines; {{ '%d'|format(7 * 6) }}</p>")(report_dir, NO_ENV)
    result = cli("build", report_dir, "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    from helpers import pdf_pages
    text = "\n".join(pdf_pages(tmp_path / PDF_NAME))
    assert "LOS SANTOS MINE has 7 lines; 42" in text


# --- ingest: published tables from elsewhere ----------------------------------------------------

SEED_TABLE = FIXTURES / "ingest" / "los-santos-seed-table.tsv"


def table_text(old: str, new: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "table.tsv"
        text = SEED_TABLE.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path
    return make


def table_file(name: str, data: bytes | None = None, link: str | None = None) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if link:
            path.symlink_to(link)
        else:
            path.write_bytes(data or b"")
        return path
    return make


def sparse_source(name: str, size: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        with path.open("wb") as stream:
            stream.truncate(size)
        return path
    return make


def fifo_source(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        import os
        os.mkfifo(folder / name)
        return folder / name
    return make


def linked_source(target: Callable[[Path], Path], name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / "elsewhere").mkdir()
        (folder / name).symlink_to(target(folder / "elsewhere"))
        return folder / name
    return make


def zip_bomb(name: str, size: int) -> Callable[[Path], Path]:
    """A small workbook-shaped zip holding one part of `size` zero bytes (about 200 KB packed)."""
    def make(folder: Path) -> Path:
        import zipfile
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
            with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                chunk = bytes(1_000_000)
                for _ in range(size // len(chunk) + 1):
                    part.write(chunk)
        return path
    return make


def many_parts(name: str, count: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        import zipfile
        path = folder / name
        with zipfile.ZipFile(path, "w") as book:
            for i in range(count):
                book.writestr(f"p{i}", b"")
        return path
    return make


def pdf_pages_source(name: str, count: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        from pypdf import PdfWriter
        writer = PdfWriter()
        for _ in range(count):
            writer.add_blank_page(width=72, height=72)
        path = folder / name
        writer.write(path)
        return path
    return make


# (id, table, extra options, place in the message, what it says)
BAD_TABLES = [
    ("ingest-word-among-figures", table_text("3,006", "3,0O6"), [], "row 5", "not a figure"),
    ("ingest-prose-only", table_file("table.tsv", b"Almonty announces results.\nNo table here.\n"), [], "row 1", "cannot read the header"),
    ("ingest-empty", table_file("table.tsv", b""), [], "", "no table found"),
    ("ingest-dev-zero", table_file("table.tsv", link="/dev/zero"), [], "/dev/zero", "no such file"),
    ("ingest-xlsx-not-a-workbook", table_file("table.xlsx", b"PK\x03\x04 not really a zip"), [], "", "cannot open the workbook"),
    ("ingest-no-period-heading", table_text("Three Months Ended June 30,", "Quarter"), [], "", "cannot read the header"),
    ("ingest-bad-fiscal-year-end", table_text("Revenue", "Revenue"), ["--fiscal-year-end", "13-45"], "", "fiscal_year_end must be month-day"),
    ("ingest-bad-currency", table_text("Revenue", "Revenue"), ["--currency", "DOLLARS"], "", "currency must be an ISO 4217 code"),
    ("ingest-bad-scale", table_text("CAD\\$ 000\tCAD\\$ 000\tCAD\\$ 000\tCAD\\$ 000", "\t\t\t"), ["--scale", "billions"], "", "scale must be one of"),
    ("ingest-huge-text", sparse_source("release.md", 20_000_001),
     [], "", "more than 20,000,000 bytes"),
    ("ingest-huge-pdf", sparse_source("release.pdf", 20_000_001), [], "", "more than 20,000,000 bytes"),
    ("ingest-fifo", fifo_source("release.md"), [], "", "no such file"),
    ("ingest-symlink-to-huge", linked_source(sparse_source("big.md", 20_000_001), "release.md"), [], "", "more than 20,000,000 bytes"),
    ("ingest-md-latin1", table_file("release.md", "Almonty results\n\nRevenue for the caf\xe9\n".encode("latin-1")),
     [], "row 3", "not UTF-8 text: byte 0xe9 at byte offset"),
    ("ingest-tsv-latin1", lambda folder: (folder / "table.tsv").write_bytes(
        SEED_TABLE.read_bytes().replace(b"Revenue", b"Revenu\xe9", 1)) and folder / "table.tsv",
     [], "row", "not UTF-8 text: byte 0xe9"),
    ("ingest-csv-utf16", table_file("table.csv", "Line,2011\nRevenue,5\n".encode("utf-16")), [], "row 1", "not UTF-8 text: byte 0xff"),
    ("ingest-html-cp1252", table_file("release.html", b"<html><body>\n<p>Almonty</p>\n<p>\x93quoted\x94</p></body></html>"),
     [], "row 3", "not UTF-8 text: byte 0x93"),
    ("ingest-html-deep-nesting", table_file("release.html", b"<div>" * 50_000 + b"<p>no table</p>" + b"</div>" * 50_000),
     [], "", "no table found"),
    ("ingest-html-huge-colspan", table_file("release.html", b"<table><tr><td colspan=999999999>x</td></tr></table>"),
     [], "", "no table found"),
    ("ingest-xlsx-zip-bomb", zip_bomb("table.xlsx", 201_000_000), [], "", "a zip bomb?"),
    ("ingest-xlsx-many-parts", many_parts("table.xlsx", 10_001), [], "", "more than 10,000"),
    ("ingest-pdf-many-pages", pdf_pages_source("release.pdf", 501), [], "", "501 pages, more than 500"),
    ("ingest-pdf-garbage", table_file("release.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40), [], "", "cannot read the PDF"),
    ("ingest-out-not-empty", table_text("Revenue", "Revenue"), ["--out-not-empty"], "", "already exists and is not empty"),
]


@pytest.mark.parametrize(("case", "make", "options", "place", "says"), BAD_TABLES, ids=[c[0] for c in BAD_TABLES])
def test_hostile_table_fails_closed(cli, tmp_path, case, make, options, place, says):
    table = make(tmp_path)
    out = tmp_path / "new-report"
    if "--out-not-empty" in options:
        out.mkdir()
        (out / "keep.txt").write_text("mine")
        options = []
    result = cli("ingest", table, "--out", out, "--company-name", "Almonty", *options)
    assert result.exit_code == 1, (result.output, result.stderr)
    message = assert_one_clear_line(result, "", place, says)
    # The file named: the table (as resolved), or the --out folder, or the option that is wrong.
    assert any(part in message for part in (table.name, str(table.resolve()), str(out), "must be")), message
    assert not out.exists() or sorted(p.name for p in out.iterdir()) in ([], ["keep.txt"])
    if "--out-not-empty" not in options:
        assert not any(out.rglob("*.part")) if out.exists() else True


# --- an interrupt WeasyPrint swallows -------------------------------------------------------------

def test_ctrl_c_swallowed_while_an_svg_is_drawn_still_writes_nothing(cli, report_dir, tmp_path, earlier_pdf, monkeypatch):
    """WeasyPrint catches every exception while it draws an SVG, KeyboardInterrupt too; the build
    must stop anyway: one line, exit 130, the earlier PDF as it was, no temporary file."""
    import os
    import signal

    from weasyprint.svg import SVG

    drawn = []
    original = SVG.draw

    def draw_and_interrupt(self, *args, **kwargs):
        drawn.append(True)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C arrives while the logo is drawn
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SVG, "draw", draw_and_interrupt)
    out = tmp_path / "out"
    out.mkdir()
    (out / PDF_NAME).write_bytes(earlier_pdf)
    result = cli("build", report_dir, "-o", out)
    assert drawn, "the SVG logo was not drawn"
    assert result.exit_code == 130, (result.output, result.stderr)
    assert result.stderr.strip().splitlines() == ["interrupted: nothing written"]
    assert (out / PDF_NAME).read_bytes() == earlier_pdf
    assert sorted(p.name for p in out.iterdir()) == [PDF_NAME]


def test_templates_folder_linked_out_is_not_readable_by_the_renderer(report_dir, env):
    """A report's templates/ that is a symlink to elsewhere gives the renderer no access there."""
    from reporter.render.html import render_html
    from reporter.context import build_context, formatter
    from reporter.data.report import load_report
    from reporter.theme.resolve import resolve_theme

    (report_dir / "templates").symlink_to(env.outside)
    report = load_report(report_dir)
    theme = resolve_theme("investor-summary", report_dir, None)
    fmt = formatter(report)
    document = render_html(build_context(report, theme, fmt), theme,
                           filters=fmt.filters())
    assert not any(env.outside.resolve().is_relative_to(root) or root == env.outside.resolve()
                   for root in document.allowed_roots)


def test_template_time_is_bounded(cli, report_dir, tmp_path):
    """A loop of few steps but slow ones stops at limits.template_seconds, naming the template."""
    block("{% for i in range(99999) %}{% set s = ('x ' * 100000)|wordwrap(1)|length %}{% endfor %}")(report_dir, NO_ENV)
    with (report_dir / "report.yaml").open("a") as stream:
        stream.write("limits: {template_seconds: 1}\n")
    result = cli("build", report_dir, "-o", tmp_path)
    assert result.exit_code == 1
    assert_one_clear_line(result, "templates/report.html", TEMPLATE_LINE, "took more than 1 s to render")
    assert not list(tmp_path.glob("*.pdf"))


def test_an_assets_folder_linked_out_is_not_walked_for_the_message(tmp_path):
    """Naming a refused reference looks through the report's own SVG and CSS files, never a link's target."""
    from reporter.render.html import HtmlDocument

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "other.svg").write_text("<svg/>", encoding="utf-8")
    report = tmp_path / "report"
    report.mkdir()
    (report / "assets").symlink_to(outside)
    document = HtmlDocument(html="", base_url=report, allowed_roots=[], template_path="report.html",
                            template_folders=[])
    assert all(outside not in path.resolve().parents for path in document.user_files)
