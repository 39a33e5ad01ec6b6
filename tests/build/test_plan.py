"""The plan: one rule for which documents a build writes and what each file is called."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reporter.build.plan import PlannedDocument, document_languages, plan_folder, template_names
from reporter.inputs.settings import load_settings

STEM = "almonty-los-santos-mine-q3-2011-investor-summary"


@pytest.fixture
def english_only(tmp_path, example_dir) -> Path:
    """Los Santos as a folder whose report.yaml names no languages: one language, English."""
    folder = tmp_path / "english-only"
    shutil.copytree(example_dir, folder)
    settings = folder / "report.yaml"
    settings.write_text(re.sub(r"(?m)^languages:.*\n", "", settings.read_text(encoding="utf-8")),
                        encoding="utf-8")
    (folder / "commentary.fr.md").unlink()
    return folder


@pytest.mark.slow  # the production run starts its fork server for `--lang all`
def test_lang_all_names_one_shot_and_production_run_files_alike(cli, english_only, tmp_path):
    # The one-shot build and the production run (--jobs 1) of the same folder write the same file.
    one_shot = cli("build", english_only, "--lang", "all", "-f", "html", "-o", tmp_path / "one-shot")
    assert one_shot.exit_code == 0, one_shot.output
    production = cli("build", english_only, "--lang", "all", "--jobs", "1", "-f", "html", "-o", tmp_path / "run")
    assert production.exit_code == 0, production.output
    one_shot_files = sorted(p.name for p in (tmp_path / "one-shot").glob("*.html"))
    run_files = sorted(p.name for p in (tmp_path / "run").glob("*.html"))
    # `--lang all` puts the language in the name, as README says, whichever command builds it.
    assert one_shot_files == [f"{STEM}-en.html"]
    assert run_files == one_shot_files


def test_lang_all_plans_every_language_of_report_yaml(example_dir, english_only):
    assert document_languages(load_settings(example_dir), "all") == ["en_CA", "fr_CA"]
    assert document_languages(load_settings(english_only), "all") == ["en"]
    assert document_languages(load_settings(example_dir), None) == [None]
    assert document_languages(load_settings(example_dir), "fr_CA") == ["fr_CA"]


def test_plan_is_templates_times_languages_in_the_order_asked(example_dir):
    documents = plan_folder(example_dir, load_settings(example_dir), ["press-release", "all"], "all",
                            lambda: ["investor-summary", "press-release"])
    assert documents == [PlannedDocument(example_dir, template, language)
                         for template in ("press-release", "investor-summary")
                         for language in ("en_CA", "fr_CA")]


def test_all_is_expanded_once_and_names_are_not_repeated():
    asked = []
    names = template_names(["all", "investor-summary", "all"], lambda: asked.append(1) or ["investor-summary", "x"])
    assert names == ["investor-summary", "x"]


def test_output_name_in_a_french_document_is_the_files_name(cli, example_dir, tmp_path):
    theme = tmp_path / "namer"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: namer\nextends: investor-summary\n")
    (theme / "report.html").write_text(
        '{% extends "builtin:investor-summary/report.html" %}\n'
        '{% block headline %}<p class="output-name">[{{ report.output_name }}]</p>{% endblock %}\n')
    outputs = {}
    for lang in ("fr_CA", "en_CA"):
        result = cli("build", "--theme", theme, "--lang", lang, "-f", "html", "-o", tmp_path / "out")
        assert result.exit_code == 0, result.output
        outputs[lang] = Path(result.stdout.strip())  # stderr may say the example was used
    assert list(outputs) == ["fr_CA", "en_CA"]
    for lang, written in outputs.items():
        html = written.read_text(encoding="utf-8")
        printed = re.findall(r'class="output-name">\[([^\]]*)\]', html)
        assert printed == [written.stem], (lang, printed)
    assert outputs["fr_CA"].stem == "almonty-los-santos-mine-q3-2011-namer-fr-ca"


def test_output_name_of_a_draft_ends_in_draft(cli, example_dir, tmp_path):
    theme = tmp_path / "namer"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: namer\nextends: investor-summary\n")
    (theme / "report.html").write_text(
        '{% extends "builtin:investor-summary/report.html" %}\n'
        '{% block headline %}<p class="output-name">[{{ report.output_name }}]</p>{% endblock %}\n')
    result = cli("build", "--theme", theme, "--draft", "-f", "html", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    written = Path(result.stdout.strip())  # stderr may say the example was used
    assert written.stem.endswith("-draft")
    assert re.findall(r'class="output-name">\[([^\]]*)\]', written.read_text(encoding="utf-8")) == [written.stem]
