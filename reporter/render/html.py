"""Stage 5: fill the theme's templates with the context and return the HTML to render."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from reporter.theme.blocks import check_blocks
from reporter.render.contents import order_contents
from reporter.errors import TemplateError
from reporter.inputs.logo import logo_url  # noqa: F401 (moved; callers keep working)
from reporter.inputs.limits import DEFAULT_LIMITS, HARD_STOP_GRACE_SECONDS, Limits
from reporter.render import watchdog
from reporter.theme.sandbox import deadline_alarm
from reporter.inputs.settings import REPORT_FILES
from reporter.theme.resolve import ENTRY_TEMPLATE, ResolvedTheme, build_environment, report_assets, template_error


class MissingAsset(LookupError):
    """A template asked for an asset no theme folder has."""


@dataclass(frozen=True)
class HtmlDocument:
    html: str
    base_url: Path  # relative URLs in commentary resolve against the report folder
    allowed_roots: list[Path]  # the only folders the renderer may read from
    template_path: str
    template_folders: list[Path]
    limits: Limits = DEFAULT_LIMITS  # asset_bytes bounds every file the renderer reads

    @property
    def user_files(self) -> list[Path]:
        """List the files a bad reference may come from: commentary, settings, templates, CSS."""
        templates = sorted(path for folder in self.template_folders for path in folder.rglob("*")
                           if path.suffix in (".html", ".css", ".svg") and path.is_file())
        own = [self.base_url / REPORT_FILES[role] for role in ("commentary", "settings")]
        folder = self.base_url / "assets"
        inside = report_assets(self.base_url) is not None  # never walk an `assets -> /`
        assets = sorted(path for path in folder.rglob("*")
                        if path.suffix in (".svg", ".css") and path.is_file()) if inside else []
        return own + templates + assets


def asset_finder(folders: list[Path]):
    """Return the `asset(name)` template function: the URL of the first `assets/name` found.

    Only a regular file whose real path lies inside the folder's own `assets/` counts; a name
    with `..`, an absolute one, a symlink out or a loop is "missing" like a file that is not
    there, so a template cannot learn whether any path on the machine exists. The message
    names the theme folders by name, never by absolute path.
    """
    from reporter.inputs.filegate import real_path

    def asset(name: str) -> str:
        for folder in folders:
            url = _asset_in(folder, name, real_path)
            if url:
                return url
        raise MissingAsset(f"missing asset {name!r}: no such file in the assets/ folder of "
                           + ", ".join(folder.name for folder in folders))
    return asset


def _asset_in(folder: Path, name: object, real_path) -> str | None:
    """The URL of `folder/assets/name` when it is a regular file inside that assets/ folder."""
    if not isinstance(name, str) or not name or "\0" in name or Path(name).is_absolute() or ".." in Path(name).parts:
        return None
    assets = real_path(folder / "assets")
    candidate = real_path(folder / "assets" / name)
    if assets is None or candidate is None or not candidate.is_relative_to(assets):
        return None
    if not candidate.is_file():
        return None
    return candidate.as_uri()


def stuck_render_stopped(limits: Limits, template_file: str | None):
    """Kill the build, with one line, when the templates are stuck in one C call well past
    `template_seconds` (the alarm cannot interrupt it) or take more than `memory_mb`."""
    late = TemplateError(f"the templates took more than {limits.template_seconds} s to render, stuck in "
                         f"one call ({limits.describe('template_seconds')})", file=template_file)
    heavy = TemplateError(f"the templates took more than {limits.memory_mb:,} MB of memory while "
                          f"rendering ({limits.describe('memory_mb')})", file=template_file)
    return watchdog.guarded(limits.template_seconds + HARD_STOP_GRACE_SECONDS, limits.memory_mb * 1_000_000,
                            late=str(late), heavy=str(heavy))


def render_html(context: dict[str, Any], theme: ResolvedTheme, *, filters: dict[str, Any],
                limits: Limits = DEFAULT_LIMITS, translations: Any = None) -> HtmlDocument:
    """Render the theme's entry template; any template mistake becomes one TemplateError line.

    Templates load only from the report folder, the --theme folder and the built-ins (real
    paths), and render in the sandbox within `limits`. With `translations` (reporter.theme.catalogs),
    a message the catalogs do not translate stops the render with the list of such messages.
    """
    folders = list(theme.search_path)
    env = build_environment(folders, filters=filters, globals_={"asset": asset_finder(folders)},
                            roots=theme.template_roots, limits=limits, translations=translations)
    template = None
    try:
        check_blocks(env, ENTRY_TEMPLATE)
        template = env.get_template(ENTRY_TEMPLATE)
        full_context = {**context, "template": {
            "name": ENTRY_TEMPLATE, "path": theme.label(Path(template.filename or ENTRY_TEMPLATE)),
            "considered": [theme.label(folder) for folder in folders]}}
        with deadline_alarm(env.budget), stuck_render_stopped(limits, template.filename):
            html = order_contents(template.render(full_context))
    except TemplateError:
        raise
    except (jinja2.TemplateError, MissingAsset, TypeError, ValueError, KeyError, AttributeError,
            ArithmeticError, IndexError, RecursionError) as exc:
        error = template_error(exc)
        if error.file is None:  # stopped outside any template line (the time limit in a C call)
            error.file = template.filename if template is not None else ENTRY_TEMPLATE
        raise error from None
    if translations is not None:
        translations.require_complete()
    return HtmlDocument(html=html, base_url=theme.report_dir, allowed_roots=theme.readable_folders,
                        template_path=str(template.filename), template_folders=folders,
                        limits=limits)
