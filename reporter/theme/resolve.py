"""Themes: find them, merge their settings, and build the one Jinja environment of a build.

A theme is a folder with `theme.yaml` (flat settings, `extends` to name a parent), templates and
`assets/`. Template lookup, highest first:

1. the folder given with `--theme DIR`,
2. a `templates/` folder inside the report folder (loose override files, like MkDocs' custom_dir),
3. the theme's own folder, then its parents' folders (`extends`), ending with `base`.

Every built-in is also reachable as `builtin:NAME/FILE`, so an override can extend the very
template it replaces: `{% extends "builtin:investor-summary/report.html" %}`.

A build resolves its theme once (`resolve_theme` gives a `ResolvedTheme`): the search path
above, which folders the renderer may read, the asset folders and the checked settings.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass, field
from gettext import NullTranslations
from pathlib import Path
from typing import Any, Callable

import jinja2

from reporter.errors import TemplateError, ThemeError
from reporter.inputs.limits import DEFAULT_LIMITS, Limits
from reporter.theme.sandbox import BoundedSandbox, GatedLoader, SecurityError
from reporter.theme.compiled import COMPILED, unfoldable
from reporter.theme.settings import ThemeSettings, check_own_settings, typed_settings
from reporter.inputs.yamlfile import read_yaml

THEME_FILE = "theme.yaml"
ENTRY_TEMPLATE = "report.html"
BUILTIN_PREFIX = "builtin"
BASE_THEME = "base"


def _builtin_root() -> Path:
    """Find the built-in themes: inside the wheel, or `templates/` beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent  # reporter/, not reporter/theme/
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / BASE_THEME / THEME_FILE).is_file():
            return candidate
    raise ThemeError("the built-in templates are missing from this installation")


BUILTIN_ROOT = _builtin_root()


@functools.cache
def builtin_assets(root: Path | None = None) -> tuple[Path, ...]:
    """The `assets` folders of the built-in themes (real paths): beside each theme.yaml directly
    under the built-in root. Their files are part of the installed package, not input: the PDF
    fetcher and `-f html` spare them the checks every report and theme file gets (is_builtin_asset)."""
    root = BUILTIN_ROOT if root is None else root
    return tuple(theme_file.parent / "assets" for theme_file in sorted(root.resolve().glob(f"*/{THEME_FILE}")))


def is_builtin_asset(path: Path, assets: tuple[Path, ...] | None = None) -> bool:
    """A file (its real path) of a built-in theme's assets. Whoever can put a file there can as well
    edit reporter's code beside it; a report folder unpacked among the built-in themes (a
    checkout's templates/) is input like any other."""
    return any(path.is_relative_to(folder) for folder in (builtin_assets() if assets is None else assets))

@dataclass
class Theme:
    """A theme folder with its settings merged over its parents'."""

    name: str
    folder: Path
    source: str  # "built-in", "report folder" or "theme folder"
    settings: dict[str, Any]
    parent: "Theme | None" = None
    own_settings: dict[str, Any] = field(default_factory=dict, repr=False)
    config: ThemeSettings | None = field(default=None, repr=False)  # `settings`, checked and typed

    @property
    def description(self) -> str:
        return str(self.own_settings.get("description") or self.settings.get("description") or "")

    @property
    def chain(self) -> list["Theme"]:
        """Return this theme, its parent, its parent's parent, ... down to base."""
        theme: Theme | None = self
        chain = []
        while theme is not None:
            chain.append(theme)
            theme = theme.parent
        return chain

    @property
    def asset_dirs(self) -> list[Path]:
        return [theme.folder / "assets" for theme in self.chain]

    def css_variables(self) -> dict[str, str]:
        """Flatten brand colours and fonts into CSS custom properties: `brand.primary` -> `--brand-primary`."""
        variables = {}
        for group, values in (("brand", self.config.brand), ("fonts", self.config.fonts)):
            for key, value in values.items():
                variables[f"{group}-{key}".replace("_", "-")] = value
        return variables


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Merge settings: mappings key by key, anything else replaced by the child's value."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _theme_folders(report_dir: Path | None) -> list[tuple[Path, str]]:
    """Return the folders that hold named themes, highest priority first."""
    roots = []
    if report_dir is not None:
        roots.append((report_dir / "templates", "report folder"))
    roots.append((BUILTIN_ROOT, "built-in"))
    return roots


def load_theme(folder: Path, source: str, report_dir: Path | None = None,
               _seen: tuple[str, ...] = ()) -> Theme:
    """Load the theme in `folder`, with its parents."""
    path = folder / THEME_FILE
    if not path.is_file():
        raise ThemeError(f"not a theme folder: no {THEME_FILE}", file=folder)
    own = read_yaml(path, error=ThemeError)
    name = str(own.get("name") or folder.name)
    parent = None
    parent_name = own.get("extends")
    if parent_name is None and not (source == "built-in" and name == BASE_THEME):
        parent_name = BASE_THEME
    if parent_name:
        if not is_theme_name(parent_name):
            raise ThemeError(f"extends must name a template (a built-in one or one in the report folder's "
                             f"templates/), not a path: got {_shown(parent_name)}", file=path)
        if parent_name in _seen + (name,):
            raise ThemeError(f"themes extend each other in a circle: {' -> '.join(_seen + (name, parent_name))}",
                             file=path)
        # A parent is looked up like any theme, except that it may not be the theme itself.
        parent = find_theme(str(parent_name), report_dir=report_dir, exclude=folder,
                            _seen=_seen + (name,))
    asset_dirs = [folder / "assets"] + (parent.asset_dirs if parent else [])
    check_own_settings(own, parent.settings if parent else None, asset_dirs, path)
    settings = _merge(parent.settings if parent else {}, own)
    settings["name"] = name
    return Theme(name=name, folder=folder.resolve(), source=source, settings=settings,
                 parent=parent, own_settings=own, config=typed_settings(settings))


def is_theme_name(name: object) -> bool:
    """Say whether `name` is a template's name: one folder name, no path (`/abs`, `../x`, `a/b`)."""
    return (isinstance(name, str) and bool(name) and name not in (".", "..") and "/" not in name
            and "\\" not in name and "\0" not in name and name.isprintable())


def _inside(folder: Path, root: Path, source: str) -> Path:
    """Return a theme folder found under `root`; refuse one whose real path leads out of the
    report folder (its `templates/x` or `templates` linked elsewhere) or of the built-ins."""
    from reporter.inputs.filegate import real_path

    home = real_path(root.parent if source == "report folder" else root)
    real = real_path(folder)
    if home is None or real is None or not real.is_relative_to(home):
        raise ThemeError("a theme folder linked out of the report folder; only themes inside it, the "
                         "built-ins and the --theme folder are read", file=folder)
    return folder


def _shown(value: object) -> str:
    text = repr(value)  # escapes control characters
    return text if len(text) <= 80 else text[:77] + "..."


def available_themes(report_dir: Path | None = None) -> list[Theme]:
    """List every theme a build could use, the ones that shadow others first."""
    themes, names = [], set()
    for root, source in _theme_folders(report_dir):
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if (p / THEME_FILE).is_file()):
            theme = load_theme(_inside(folder, root, source), source, report_dir)
            if theme.name not in names:
                names.add(theme.name)
                themes.append(theme)
    return themes


def find_theme(name: str, *, report_dir: Path | None = None, exclude: Path | None = None,
               _seen: tuple[str, ...] = ()) -> Theme:
    """Find a theme by name in the report folder's `templates/`, then among the built-ins."""
    if not is_theme_name(name):
        raise ThemeError(f"a template is named, not given as a path: got {_shown(name)} "
                         f"(give a theme folder with --theme)")
    for root, source in _theme_folders(report_dir):
        folder = root / name
        if (folder / THEME_FILE).is_file() and (exclude is None or folder.resolve() != exclude.resolve()):
            return load_theme(_inside(folder, root, source), source, report_dir, _seen)
    known = sorted({theme.name for theme in available_themes(report_dir)} - {BASE_THEME})
    raise ThemeError(f"unknown template {name!r}; the available templates are: {', '.join(known)}")


@dataclass(frozen=True)
class ResolvedTheme:
    """The theme of one build, resolved once for one report folder.

    It knows everything later stages ask of a theme: the template folders in lookup order (see
    the module docstring), which of them the renderer may read, the asset folders, the checked
    settings, and which theme.yaml declares a setting. Templates, catalogs, the renderer and the
    preview's watcher take their folders from here, so no stage passes folders around.
    """

    theme: Theme
    report_dir: Path
    theme_dir: Path | None = None  # the folder given with --theme
    search_path: tuple[Path, ...] = ()  # template (and catalog) folders, highest priority first

    # What templates and the context read of the theme itself.
    @property
    def name(self) -> str:
        return self.theme.name

    @property
    def settings(self) -> dict[str, Any]:
        return self.theme.settings

    @property
    def config(self) -> ThemeSettings:
        return self.theme.config

    @property
    def chain(self) -> list[Theme]:
        return self.theme.chain

    @property
    def asset_dirs(self) -> list[Path]:
        """The theme chain's `assets/` folders, nearest theme first."""
        return self.theme.asset_dirs

    def css_variables(self) -> dict[str, str]:
        return self.theme.css_variables()

    def declared_in(self, key: str) -> Path:
        """Return the theme.yaml that sets `key` (charts, margins): the nearest theme in the chain."""
        for member in self.chain:
            if key in (member.own_settings or {}):
                return member.folder / THEME_FILE
        return self.theme.folder / THEME_FILE

    @property
    def template_roots(self) -> list[Path]:
        """Folders user templates may be loaded from (real paths): the report folder and --theme."""
        return [self.report_dir.resolve()] + ([self.theme_dir.resolve()] if self.theme_dir is not None else [])

    @property
    def readable_folders(self) -> list[Path]:
        """Folders the renderer may read: the search path, except any a symlink leads out of the
        report folder, the --theme folder and the built-ins, and the report's `assets/`."""
        gate = self.template_roots + [BUILTIN_ROOT.resolve()]
        readable = [f for f in self.search_path if any(f.resolve().is_relative_to(root) for root in gate)]
        assets = report_assets(self.report_dir)
        return readable + ([assets] if assets is not None else [])

    @property
    def watched_folders(self) -> list[Path]:
        """Folders whose changes change the document: the report folder, --theme, the theme chain."""
        folders = [self.report_dir] + ([self.theme_dir] if self.theme_dir is not None else [])
        return list(dict.fromkeys(f.resolve() for f in folders + [t.folder for t in self.chain]))

    def label(self, path: Path) -> str:
        """Name a template file or folder without saying where it lies on this machine.

        `builtin:investor-summary/report.html`, `report folder:templates/report.html`,
        `theme folder mine:report.html`: the HTML carries these, and it must be the same bytes
        wherever the folders lie.
        """
        resolved = path.resolve()
        places = [(BUILTIN_ROOT.resolve(), "builtin:"), (self.report_dir.resolve(), "report folder:")]
        places += [(folder.resolve(), f"theme folder {folder.name}:") for folder in self.search_path]
        for root, label in places:
            if resolved.is_relative_to(root):
                return label + resolved.relative_to(root).as_posix()
        return resolved.name


def report_assets(report_dir: Path) -> Path | None:
    """The report's `assets/` folder, or None when it leads out of the report folder.

    The file gate resolves its roots: an `assets` linked out (to /, to another report's folder)
    would make its whole target readable (and walking it to list the build's files could take
    seconds), so such a folder is never a root and its files are refused.
    """
    from reporter.inputs.filegate import real_path

    assets = report_dir.resolve() / "assets"
    real = real_path(assets)  # None for an `assets -> assets` loop
    return assets if real is not None and real.is_relative_to(report_dir.resolve()) else None


def resolve_theme(template: str, report_dir: Path, theme_dir: Path | None = None) -> ResolvedTheme:
    """Resolve the theme of a build once: the folder given with --theme, else the template of that name.

    >>> resolve_theme("investor-summary", default_report_dir()).search_path[-1].name   # doctest: +SKIP
    'base'
    """
    if theme_dir is not None:
        theme = load_theme(theme_dir, "theme folder", report_dir)
    else:
        try:
            theme = find_theme(template, report_dir=report_dir)
        except ThemeError as error:
            if (Path(template) / THEME_FILE).is_file():  # a folder where a name belongs
                raise ThemeError(f"{error.message}; {template!r} is a theme folder: build it with "
                                 f"--theme {template}") from None
            raise
    folders = []
    if theme_dir is not None:
        folders.append(theme_dir.resolve())
    if (report_dir / "templates").is_dir():
        folders.append((report_dir / "templates").resolve())
    folders.extend(t.folder for t in theme.chain)
    return ResolvedTheme(theme, report_dir, theme_dir, tuple(dict.fromkeys(folders)))


class ReportUndefined(jinja2.StrictUndefined):
    """StrictUndefined that also fails when shown inside a list or dict (`{{ [missing] }}`).

    Jinja's StrictUndefined refuses `str()` but not `repr()`, which is what printing a list, a dict
    or `pprint` calls: the reader would see "[Undefined]" in the document.
    """

    __slots__ = ()
    __repr__ = jinja2.StrictUndefined._fail_with_undefined_error


def _json_default(value: Any) -> Any:
    """`tojson` of a value JSON cannot hold: an undefined one says so, anything else as json does."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def build_environment(folders: list[Path], *, filters: dict[str, Callable],
                      globals_: dict[str, Any], roots: list[Path] | None = None,
                      limits: Limits = DEFAULT_LIMITS, translations: Any = None) -> BoundedSandbox:
    """Build the Jinja environment: the only place one is made and filters are registered.

    Every template, built-in or user, renders in the sandbox on a budget (reporter.theme.sandbox), and
    is loaded only from a real path under `roots` (default: the search folders and the
    built-ins). Undefined variables are errors (StrictUndefined), never blanks in a document
    sent to investors; autoescaping is on, so commentary and settings are text unless marked safe.
    """
    roots = list(roots if roots is not None else folders) + [BUILTIN_ROOT]
    loader = jinja2.ChoiceLoader([
        GatedLoader(folders, roots),
        jinja2.PrefixLoader({BUILTIN_PREFIX: GatedLoader([BUILTIN_ROOT], [BUILTIN_ROOT])}, delimiter=":"),
    ])
    env = BoundedSandbox(loader=loader, undefined=ReportUndefined, autoescape=True,
                         trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, limits=limits,
                         extensions=["jinja2.ext.i18n"], bytecode_cache=COMPILED)
    # Template words go through the themes' gettext catalogs (reporter.theme.catalogs); new-style
    # gettext escapes translations like any other value.
    # Each message is sized before `%` formats it (`%(a)2000000000s`, in a template or a catalog).
    if translations is None:
        translations = NullTranslations()
    env.install_gettext_callables(env.sized_message(translations.gettext),
                                  env.sized_message(translations.ngettext), newstyle=True)
    # Ours are bound to one report's locale and currency: never run at compile time (see template_code).
    env.filters.update({name: unfoldable(function) for name, function in filters.items()})
    env.globals.update(globals_)
    env.policies["json.dumps_kwargs"] = {**env.policies["json.dumps_kwargs"], "default": _json_default}
    return env


def template_error(exc: Exception) -> TemplateError:
    """Turn a Jinja error into one line naming the template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(exc.message or "syntax error", file=exc.filename or exc.name, line=exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        file, line = _template_position(exc)
        return TemplateError(f"template not found: {exc.name}", file=file, line=line)
    if isinstance(exc, jinja2.UndefinedError):
        file, line = _template_position(exc)
        return TemplateError(f"undefined variable: {exc.message}", file=file, line=line)
    file, line = _template_position(exc)
    if isinstance(exc, SecurityError):
        return TemplateError(f"refused by the template sandbox: {exc}", file=file, line=line)
    if isinstance(exc, RecursionError):
        return TemplateError("templates extend, include or call each other without end", file=file, line=line)
    if isinstance(exc, OverflowError):
        return TemplateError(f"refused by the template sandbox: {exc}", file=file, line=line)
    return TemplateError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, file=file, line=line)


def _template_position(exc: BaseException) -> tuple[str | None, int | None]:
    """Find the innermost template frame in a traceback: Jinja rewrites them to template lines."""
    position: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".htm", ".j2", ".jinja", ".xml", ".svg", ".css")):
            position = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return position
