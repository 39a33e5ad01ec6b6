"""Translations of template strings: gettext catalogs that themes ship, read with Babel.

Templates are written in English and mark their words with `_("...")` (the Jinja i18n
extension). A theme translates them in `locale/<language>/LC_MESSAGES/messages.po` inside its
folder, the standard gettext layout, so `pybabel init/update` and any PO editor work on it.
The `.po` files are read as they are (Babel's `read_po`): no compile step.

Catalogs stack like templates: a message in a higher folder of the search path (`--theme`, the
report's `templates/`, the theme, its parents down to base) wins. A message with no translation
in the language of the build is an error that lists the messages and the catalogs searched,
so no English string reaches a French PDF unnoticed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reporter.errors import TemplateError, ThemeError
from reporter.inputs.language import Language

if TYPE_CHECKING:
    from reporter.theme.resolve import ResolvedTheme

CATALOG_DOMAIN = "messages"


def catalog_candidates(folder: Path, language: Language) -> list[Path]:
    """Return where a theme folder may hold a language's catalog: `fr_CA` first, then `fr`."""
    tags = list(dict.fromkeys([language.tag, language.code]))
    return [folder / "locale" / tag / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po" for tag in tags]


# The named placeholders of a python-format message: `%(label)s`.
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def read_catalog(path: Path, folder: Path | None = None) -> dict[str, str]:
    """Read the translated, non-fuzzy messages of a `.po` file.

    A catalog is theme input like a template: it is read only from inside its theme folder (real
    path), bounded, and a translation may use only the placeholders its message has, so that
    filling it in can never fail halfway through a build.
    """
    from babel.messages.pofile import PoFileError, read_po

    from reporter.inputs.yamlfile import read_bytes

    if folder is not None and not path.resolve().is_relative_to(folder.resolve()):
        raise ThemeError("the catalog lies outside its theme folder (a symlink out); refused", file=path)
    data = read_bytes(path, error=ThemeError)
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        raise ThemeError(f"cannot read the catalog: {str(exc).splitlines()[0][:200]}", file=path) from None
    messages: dict[str, str] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        msgid = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
        text = str((message.string[0] if isinstance(message.string, (tuple, list)) else message.string) or "")
        if not text:
            continue
        unknown = sorted(set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(msgid)))
        if unknown:
            raise ThemeError(f"the translation of {msgid!r} uses %({unknown[0]})s, which the message "
                             f"does not have", file=path, line=message.lineno)
        messages[msgid] = text
    return messages


# The language the templates' words (`_("...")`, the gettext msgids) are written in: a build in it
# needs no catalog. A property of the templates, not of the language files.
TEMPLATE_LANGUAGE = "en"


@dataclass
class Translations:
    """The gettext functions of one build; they note every message they cannot translate."""

    language: Language
    messages: dict[str, str] = field(default_factory=dict)
    catalogs: list[Path] = field(default_factory=list)  # searched, highest priority first
    missing: list[str] = field(default_factory=list)

    def gettext(self, message: str) -> str:
        if self.language.code == TEMPLATE_LANGUAGE:
            return message
        translated = self.messages.get(message)
        if translated is None:
            if message not in self.missing:
                self.missing.append(message)
            return message
        return translated

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def require_complete(self) -> None:
        """Stop the build when a message had no translation, naming the messages and catalogs."""
        if not self.missing:
            return
        where = ", ".join(str(path) for path in self.catalogs) or "no catalog found"
        wanted = f"locale/{self.language.code}/LC_MESSAGES/{CATALOG_DOMAIN}.po in the theme folder"
        messages = "; ".join(repr(m) for m in self.missing)
        raise TemplateError(f"no {self.language.tag} translation for {len(self.missing)} message(s): "
                            f"{messages} (catalogs searched: {where}; add them to {wanted})")


def load_translations(theme: ResolvedTheme, language: Language) -> Translations:
    """Merge the catalogs of the theme's template folders (highest priority first) for one language."""
    translations = Translations(language)
    if language.code == TEMPLATE_LANGUAGE:
        return translations
    # Anything at a catalog's place is read (and refused if it is not a catalog): a symlink to a
    # device or a folder is never skipped silently.
    found = [path for folder in theme.search_path for path in catalog_candidates(folder, language)
             if path.exists() or path.is_symlink()]
    translations.catalogs = found
    for path in reversed(found):  # lowest priority first, so higher folders overwrite
        translations.messages.update(read_catalog(path, path.parents[3]))
    return translations
