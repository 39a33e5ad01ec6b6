"""Templates compiled once per process: shared code, never one report's filters baked into it."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from reporter.themes import build_environment
from reporter.template_code import COMPILED, CompiledTemplates, environment_fingerprint, unfoldable


def environment(folder: Path, filters: dict, cache: CompiledTemplates) -> jinja2.Environment:
    env = build_environment([folder], filters=filters, globals_={})
    env.bytecode_cache = cache
    return env


def test_the_shared_cache_is_the_one_every_build_uses(tmp_path):
    assert build_environment([tmp_path], filters={}, globals_={}).bytecode_cache is COMPILED


def test_a_template_compiles_once_for_every_environment(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text("{% for x in items %}{{ x }},{% endfor %}", encoding="utf-8")
    cache = CompiledTemplates()
    compiled = []
    for items in ([1, 2], [3]):
        env = environment(tmp_path, {}, cache)
        original = env.compile
        monkeypatch.setattr(env, "compile", lambda *a, **k: compiled.append(a[1]) or original(*a, **k))
        assert env.get_template("page.html").render(items=items) == ",".join(map(str, items)) + ","
    assert compiled == ["page.html"]
    assert len(cache) == 1


def test_an_edited_template_compiles_again(tmp_path):
    cache = CompiledTemplates()
    page = tmp_path / "page.html"
    page.write_text("old", encoding="utf-8")
    assert environment(tmp_path, {}, cache).get_template("page.html").render() == "old"
    page.write_text("new text", encoding="utf-8")
    assert environment(tmp_path, {}, cache).get_template("page.html").render() == "new text"


def test_a_filter_of_constants_runs_with_each_reports_own_filter(tmp_path):
    """Jinja folds `{{ 1234|amount }}` while compiling; shared code must not keep the first report's."""
    (tmp_path / "page.html").write_text("{{ 1234|amount }} {{ 'x'|upper }}", encoding="utf-8")
    cache = CompiledTemplates()
    english = environment(tmp_path, {"amount": lambda value: f"{value:,}"}, cache)
    french = environment(tmp_path, {"amount": lambda value: f"{value:,}".replace(",", "\u202f")}, cache)
    assert english.get_template("page.html").render() == "1,234 X"
    assert french.get_template("page.html").render() == "1\u202f234 X"


def test_the_sandbox_budget_stays_per_render(tmp_path):
    """Code is shared, the budget is not: each environment counts its own steps from zero."""
    (tmp_path / "page.html").write_text("{% for x in range(50) %}.{% endfor %}", encoding="utf-8")
    cache = CompiledTemplates()
    for _ in range(3):
        env = environment(tmp_path, {}, cache)
        assert env.get_template("page.html").render() == "." * 50
        assert 50 <= env.budget.steps < 100


def test_environments_that_compile_differently_do_not_share_code(tmp_path):
    plain = jinja2.Environment()
    trimmed = jinja2.Environment(trim_blocks=True)
    assert environment_fingerprint(plain) != environment_fingerprint(trimmed)
    assert environment_fingerprint(plain) == environment_fingerprint(jinja2.Environment())
    oldstyle = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    oldstyle.install_null_translations(newstyle=False)
    newstyle = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    newstyle.install_null_translations(newstyle=True)
    assert environment_fingerprint(oldstyle) != environment_fingerprint(newstyle)


def test_the_cache_is_bounded(tmp_path):
    cache = CompiledTemplates(max_entries=2)
    for index in range(4):
        (tmp_path / f"t{index}.html").write_text(str(index), encoding="utf-8")
        assert environment(tmp_path, {}, cache).get_template(f"t{index}.html").render() == str(index)
    assert len(cache) == 2


def test_a_context_filter_is_refused_rather_than_wrapped_twice():
    with pytest.raises(TypeError):
        unfoldable(jinja2.pass_context(lambda context, value: value))
