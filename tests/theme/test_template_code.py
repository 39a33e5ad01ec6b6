"""Templates compiled once per process: shared code, never one report's filters baked into it."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from reporter.theme.resolve import build_environment
from reporter.theme.compiled import COMPILED, CompiledTemplates, environment_fingerprint, unfoldable


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


# --- adversarial: one report's code, filters, words or sandbox decisions never reach another's --------

class Words:
    def __init__(self, words: dict[str, str]):
        self.words = words

    def gettext(self, message: str) -> str:
        return self.words.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def test_the_same_template_in_two_report_folders_is_two_entries(tmp_path):
    """Same name, same text, other folder: B's document runs B's template, and errors name B's file."""
    cache = CompiledTemplates()
    text = "{{ 1234|amount }}{{ missing }}"
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "page.html").write_text(text, encoding="utf-8")
    templates = [environment(tmp_path / name, {"amount": str}, cache).get_template("page.html") for name in "ab"]
    assert [t.filename for t in templates] == [str(tmp_path / n / "page.html") for n in "ab"]
    assert len(cache) == 2
    with pytest.raises(jinja2.UndefinedError) as caught:
        templates[1].render()
    assert str(tmp_path / "b" / "page.html") in "".join(str(f.filename) for f in __import__("traceback").extract_tb(caught.tb))


def test_an_override_in_one_folder_never_serves_another_folders_chain(tmp_path):
    """A's templates/ overrides the theme's page.html; B, on the same theme, still gets the theme's."""
    cache = CompiledTemplates()
    theme, a, b = (tmp_path / n for n in ("theme", "a", "b"))
    for folder in (theme, a, b):
        folder.mkdir()
    (theme / "page.html").write_text("theme {{ 1|amount }}", encoding="utf-8")
    (a / "page.html").write_text("A override {{ 2|amount }}", encoding="utf-8")

    def env(folder):
        made = build_environment([folder, theme], filters={"amount": str}, globals_={})
        made.bytecode_cache = cache
        return made

    assert env(a).get_template("page.html").render() == "A override 2"
    assert env(b).get_template("page.html").render() == "theme 1"
    assert env(a).get_template("page.html").render() == "A override 2"


@pytest.mark.parametrize("body", [
    "{{ 1234|amount }}",
    "{% set t = 1234|amount %}{{ t }}",
    "{% macro m() %}{{ 1234|amount }}{% endmacro %}{{ m() }}",
    "{{ [1234]|map('amount')|join }}",
    "{{ 1234|amount|upper }}",
    "{% filter amount %}1234{% endfilter %}",
])
def test_no_form_of_a_constant_filter_is_folded_into_shared_code(tmp_path, body):
    (tmp_path / "page.html").write_text(body, encoding="utf-8")
    cache = CompiledTemplates()
    outputs = [environment(tmp_path, {"amount": lambda v, s=sep: f"{int(v):,}".replace(",", s)}, cache)
               .get_template("page.html").render() for sep in (",", "_", ",")]
    assert outputs == ["1,234", "1_234", "1,234"]
    assert len(cache) == 1


def test_words_are_each_reports_own_translations(tmp_path):
    (tmp_path / "page.html").write_text(
        '{% trans %}Revenue{% endtrans %}|{{ _("Revenue") }}|{{ gettext("Revenue") }}|'
        '{% trans n=2 %}{{ n }} year{% pluralize %}{{ n }} years{% endtrans %}', encoding="utf-8")
    cache = CompiledTemplates()
    rendered = []
    for words in ({}, {"Revenue": "Produits", "%(n)s years": "%(n)s ans"}, {}):
        env = build_environment([tmp_path], filters={}, globals_={}, translations=Words(words))
        env.bytecode_cache = cache
        rendered.append(env.get_template("page.html").render())
    assert rendered == ["Revenue|Revenue|Revenue|2 years", "Produits|Produits|Produits|2 ans",
                        "Revenue|Revenue|Revenue|2 years"]
    assert len(cache) == 1


def test_constants_the_sandbox_checks_are_not_folded_past_it(tmp_path):
    (tmp_path / "page.html").write_text('{{ "x" * 10 }}|{{ range(5)|list }}|{{ "ab"|replace("a", "c") }}',
                                        encoding="utf-8")
    cache = CompiledTemplates()
    for _ in range(2):
        assert environment(tmp_path, {}, cache).get_template("page.html").render() == "xxxxxxxxxx|[0, 1, 2, 3, 4]|cb"
    (tmp_path / "big.html").write_text('{{ "x" * 20000000 }}', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(jinja2.sandbox.SecurityError):
            environment(tmp_path, {}, cache).get_template("big.html").render()


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ (1).__class__ }}",
])
def test_code_from_the_cache_is_still_sandboxed(tmp_path, body):
    (tmp_path / "page.html").write_text(body, encoding="utf-8")
    cache = CompiledTemplates()
    for _ in range(2):
        with pytest.raises((jinja2.sandbox.SecurityError, jinja2.UndefinedError)):
            environment(tmp_path, {}, cache).get_template("page.html").render()
    assert len(cache) == 1


def test_code_from_the_cache_keeps_each_reports_step_limit(tmp_path):
    from reporter.inputs.limits import Limits
    (tmp_path / "page.html").write_text("{% for x in range(500) %}.{% endfor %}", encoding="utf-8")
    cache = CompiledTemplates()
    for steps, fails in ((1_000_000, False), (100, True), (1_000_000, False), (100, True)):
        env = build_environment([tmp_path], filters={}, globals_={}, limits=Limits(template_steps=steps))
        env.bytecode_cache = cache
        if fails:
            with pytest.raises(jinja2.sandbox.SecurityError):
                env.get_template("page.html").render()
        else:
            assert env.get_template("page.html").render() == "." * 500
