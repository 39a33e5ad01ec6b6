"""YAML reading: libyaml when installed, PyYAML's own parser for every message and as the fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import reporter.inputs.yamlfile as yamlfile
from reporter.errors import DataError
from reporter.inputs.yamlfile import parse_yaml
from helpers import REPO

ROOT = REPO
SHIPPED = sorted(p for folder in ("reporter", "templates", "tests")
                 for p in (ROOT / folder).rglob("*.y*ml") if "__pycache__" not in p.parts)
TRICKY = [
    "end: 2011-06-30\nfiscal_year_end: '09-30'\n",
    "flags: [yes, no, on, off, true, ~]\nnumbers: [1_000, 0x1f, 1.5e3, .inf, 012]\n",
    "label: {en: \"Revenue (1)\", fr: Produits\u00a0nets}\nnote: |\n  two\n  lines\nfolded: >\n  one\n  line\n",
    "lines:\n  - {id: a, label: A}\n  - id: b\n    label: 'B: with a colon'\n    formula: a - b\n",
    "empty:\nquoted: \"\\u00e9t\\u00e9\"\nkey with spaces: value # a comment\n",
]


def pure(text: str):
    return yaml.load(text, Loader=yamlfile._NoAliasLoader)  # noqa: S506 - a SafeLoader subclass


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="libyaml is not installed")
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_reads_every_shipped_file_as_pyyaml_does(path):
    text = path.read_text(encoding="utf-8")
    try:
        expected = pure(text)
    except yaml.YAMLError:
        pytest.skip("not valid YAML on purpose")
    assert yamlfile._parse_fast(text) == expected


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="libyaml is not installed")
@pytest.mark.parametrize("text", TRICKY)
def test_libyaml_reads_dates_booleans_numbers_and_text_as_pyyaml_does(text):
    assert yamlfile._parse_fast(text) == pure(text)
    assert parse_yaml(text, Path("x.yaml")) == pure(text)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="libyaml is not installed")
def test_valid_yaml_is_parsed_once_by_libyaml(monkeypatch):
    """The pure-Python parser (about 4x slower on a 10,000-line statement.yaml) is not run at all."""
    class Refuse(yaml.SafeLoader):
        def __init__(self, stream):
            raise AssertionError("the pure-Python parser ran")

    monkeypatch.setattr(yamlfile, "_NoAliasLoader", Refuse)
    assert parse_yaml("lines:\n  - {id: revenue, label: Revenue}\n", Path("s.yaml")) == {
        "lines": [{"id": "revenue", "label": "Revenue"}]}


@pytest.mark.parametrize("libyaml", [True, False])
@pytest.mark.parametrize(("text", "message", "line"), [
    ("a: 1\nb: &x {c: 1}\nd: *x\n", "invalid YAML: aliases (*x) are not allowed", 3),
    ("a: 1\nb: [1, 2\nc: 3\n", "invalid YAML: expected ',' or ']', but got ':'", 3),
    ("a: 1\n  b: 2\n", "invalid YAML: mapping values are not allowed here", 2),
    ("end: 2011-06-31\n", "invalid value: day is out of range for month", None),
    ("a: 1\nb: x\x00y\n", "invalid YAML: character #x0000 is not allowed", 2),
    ("a: 1\nb: x\ufffey\n", "invalid YAML: character #xfffe is not allowed", 2),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "invalid YAML: lists or mappings nested too deeply", None),
    ("a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n", "invalid YAML: lists or mappings nested too deeply", None),
    ("a: 1\nb:\tc\n", "invalid YAML: found character '\\t' that cannot start any token", 2),
    ("a: [1,\t2]\n", "invalid YAML: found character '\\t' that cannot start any token", 1),
    ("a: b\t# note\n", "invalid YAML", 1),
    ('a: 1\nb: "x\\ud800"\n', "invalid YAML: character #xd800 is a lone surrogate, not text", 2),
    ('"\\udfff": 1\n', "invalid YAML: character #xdfff is a lone surrogate, not text", 1),
    ("a: 1\n---\nb: 2\n", "but found another document", 2),
])
def test_mistakes_read_the_same_with_or_without_libyaml(monkeypatch, libyaml, text, message, line):
    """Messages come from PyYAML's parser either way: libyaml being installed changes no message."""
    if libyaml and not yaml.__with_libyaml__:
        pytest.skip("libyaml is not installed")
    monkeypatch.setattr(yaml, "__with_libyaml__", libyaml)
    with pytest.raises(DataError) as caught:
        parse_yaml(text, Path("report.yaml"))
    assert message in str(caught.value)
    assert caught.value.line == line


def test_an_alias_bomb_is_refused_before_anything_is_expanded():
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))
    with pytest.raises(DataError, match=r"aliases \(\*a0\) are not allowed"):
        parse_yaml(bomb, Path("report.yaml"))


@pytest.mark.parametrize("libyaml", [True, False])
def test_a_tab_inside_quotes_or_a_block_reads_the_same_either_way(monkeypatch, libyaml):
    """Text with a tab goes to PyYAML alone (libyaml accepts tabs PyYAML refuses); valid tabs still read."""
    if libyaml and not yaml.__with_libyaml__:
        pytest.skip("libyaml is not installed")
    monkeypatch.setattr(yaml, "__with_libyaml__", libyaml)
    assert parse_yaml('a: "x\\ty"\nb: |\n  one\ttwo\n', Path("x.yaml")) == {"a": "x\ty", "b": "one\ttwo\n"}


def test_deep_but_allowed_nesting_reads_the_same_either_way():
    text = "a: " + "[" * 50 + "1" + "]" * 50 + "\n"
    assert parse_yaml(text, Path("x.yaml")) == pure(text)
