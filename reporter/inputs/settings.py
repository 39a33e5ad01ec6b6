"""The settings of a report folder (`report.yaml`), checked once and typed."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name

from reporter.errors import DataError
from reporter.inputs.limits import DEFAULT_LIMITS, Limits, parse_limits
from reporter.inputs.periods import FiscalCalendar, Period
from reporter.inputs.yamlfile import read_yaml

SCALES = {"units": 1, "thousands": 1_000, "millions": 1_000_000}

REPORT_FILES = {
    "settings": "report.yaml",
    "statement": "statement.yaml",
    "figures": "figures.csv",
    "commentary": "commentary.md",
}

# The PDF variants a report may ask for (`pdf_variant`, `--pdf-variant`); what each adds is
# reporter.render.archive's business, which reads this list, never the other way round.
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")


# The keys report.yaml may have, per mapping: anything else is a typo to point out, not to ignore.
KNOWN_KEYS = {
    "": ("company", "subject", "fiscal_year_end", "period", "reporting", "fx_rates", "fx_source",
         "figures_currency", "legend", "key_figures", "tie_out_tolerance", "narrative", "limits",
         "pdf_variant", "languages", "history", "trend"),
    "company": ("name", "short_name", "exchange", "ticker", "logo"),
    "period": ("end", "months", "restated"),
    "reporting": ("currency", "scale", "locale", "decimals", "nil_mark"),
    "fx_rates": ("base", "quote", "period_end", "months", "rate"),
}
# What may print for a figure published as nil: dashes and words, never anything that reads as a figure.
NIL_MARKS = frozenset({"-", "–", "—", "−", "‒", "―", "nil", "n/a", "n.a.", "none", "néant", "s.o.", "sans objet"})
# Earlier reports a report may name in `history:`: six years of quarters.
MAX_HISTORY = 24
# A rounding difference is a few units of the scale; a tolerance past this hides real errors.
MAX_TIE_OUT_TOLERANCE = Decimal(100)


@dataclass(frozen=True)
class Company:
    name: str
    short_name: str
    exchange: str | None = None
    ticker: str | None = None
    logo: Path | None = None  # resolved inside the report folder

    @property
    def listing(self) -> str | None:
        """Write the listing as releases do: `TSXV: AII`."""
        if self.exchange and self.ticker:
            return f"{self.exchange}: {self.ticker}"
        return self.ticker or None


@dataclass(frozen=True)
class FxRate:
    """An average rate: one `base` buys `rate` of `quote` over the period."""

    base: str
    quote: str
    period: Period
    rate: Decimal  # as published: Decimal keeps 1.436078 to the last digit


@dataclass(frozen=True)
class ReportSettings:
    folder: Path
    company: Company
    subject: str
    calendar: FiscalCalendar
    period: Period
    currency: str
    scale_name: str
    locale: str
    decimals: int | None = None  # places figures are shown with; None: as figures.csv gives them
    nil_mark: str | None = None  # how figures published as a dash or "nil" print; None: as published
    fx_rates: tuple[FxRate, ...] = ()
    fx_source: str | None = None
    figures_currency: str | None = None  # set when figures.csv holds figures to convert
    legend: str = ""
    key_figures: tuple[str, ...] = ()
    tie_out_tolerance: Decimal | None = None  # None: one unit of the last printed digit (validate.py)
    narrative: bool = True
    pdf_variant: str | None = None  # pdf/a-3b or pdf/ua-1 (reporter.render.archive); None: plain PDF
    limits: Limits = DEFAULT_LIMITS
    languages: tuple[str, ...] = ()  # `languages` of report.yaml, the default first; () when not set
    # Texts given per language (`subject: {en: ..., fr: ...}`): (setting, language code, text).
    texts: tuple[tuple[str, str, str], ...] = ()
    # Earlier report folders (`history:`), resolved, each beside this one (reporter.data.history).
    history: tuple[Path, ...] = ()
    trend: tuple[str, ...] = ()  # line ids the quarterly trend follows; () for the key figures

    def in_language(self, code: str) -> "ReportSettings":
        """Return the settings with `subject`, `legend` and `fx_source` in one language, where given so."""
        chosen: dict[str, Any] = {key: text for key, lang, text in self.texts if lang == code}
        return replace(self, **chosen) if chosen else self

    def missing_texts(self, code: str) -> list[str]:
        """List the per-language settings with no text in a language."""
        keys = dict.fromkeys(key for key, _, _ in self.texts)
        return [key for key in keys if (key, code) not in {(k, c) for k, c, _ in self.texts}]
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def scale(self) -> int:
        return SCALES[self.scale_name]

    @property
    def source_currency(self) -> str:
        return self.figures_currency or self.currency

    def file(self, role: str) -> Path:
        """Return the path of one of the report folder's files (`figures`, `statement`, ...)."""
        return self.folder / REPORT_FILES[role]


def _require(data: dict, key: str, path: Path) -> Any:
    if data.get(key) in (None, ""):
        raise DataError(f"missing setting `{key}`", file=path)
    return data[key]


def _date(value: Any, what: str, path: Path) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DataError(f"{what}: {value!r} is not a date (YYYY-MM-DD)", file=path) from None


def _months(value: Any, what: str, path: Path) -> int:
    # Only a whole number: 3.7 is not read as 3, nor "³" as 3.
    text = str(value).strip()
    months = int(text) if not isinstance(value, (bool, float)) and text.isascii() and text.isdigit() else 0
    if not 1 <= months <= 12:
        raise DataError(f"{what}: months must be a whole number from 1 to 12, got {value!r}", file=path)
    return months


def _currency(code: Any, locale: str, path: Path) -> str:
    code = str(code).upper()
    if get_currency_name(code, locale=locale) == code:  # Babel knows no such currency
        raise DataError(f"unknown currency code {code!r}", file=path)
    return code


def _mapping(data: dict, key: str, path: Path) -> dict:
    value = _require(data, key, path)
    if not isinstance(value, dict):
        raise DataError(f"`{key}` must be a mapping of settings, got {value!r}", file=path)
    return value


def _positive_number(value: Any, what: str, path: Path, *, allow_zero: bool = False) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0 or (number == 0 and not allow_zero):
        raise DataError(f"{what}: {value!r} is not a {'non-negative' if allow_zero else 'positive'} number",
                        file=path)
    return number


def _check_keys(data: dict, section: str, path: Path) -> None:
    """Refuse a key report.yaml does not know, suggesting the closest known one."""
    known = KNOWN_KEYS[section]
    for key in data:
        if key not in known:
            where = f"{section}." if section else ""
            hint = difflib.get_close_matches(str(key), known, n=1)
            raise DataError(f"unknown setting `{where}{key}`"
                            + (f"; did you mean `{where}{hint[0]}`?" if hint else f"; known: {', '.join(known)}"),
                            file=path)


def _text(value: Any, what: str, path: Path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise DataError(f"{what} must be text, got {value!r}", file=path)
    return str(value)


def _fx_rate(raw: Any, index: int, locale: str, path: Path) -> FxRate:
    what = f"fx_rates item {index}"
    if not isinstance(raw, dict):
        raise DataError(f"{what}: expected base, quote, period_end, months, rate", file=path)
    _check_keys(raw, "fx_rates", path)
    for key in ("base", "quote", "period_end", "months", "rate"):
        _require(raw, key, path)
    rate = _positive_number(raw["rate"], f"{what}: rate", path)
    period = Period(_date(raw["period_end"], what, path), _months(raw["months"], what, path))
    return FxRate(_currency(raw["base"], locale, path), _currency(raw["quote"], locale, path), period, rate)


TRANSLATABLE = ("subject", "legend", "fx_source")  # settings that may be given per language


def _texts(value: Any, key: str, path: Path) -> list[tuple[str, str]]:
    """Read `{en: ..., fr: ...}` of a per-language setting; a plain value gives none."""
    if not isinstance(value, dict):
        return []
    texts = []
    for code, text in value.items():
        if not isinstance(code, str) or not code.isalpha() or not isinstance(text, str) or not text.strip():
            raise DataError(f"{key}: expected a text per language code ({{en: ..., fr: ...}}), "
                            f"got {code!r}: {text!r}", file=path)
        texts.append((code, " ".join(text.split())))
    return texts


def _languages(value: Any, path: Path) -> tuple[str, ...]:
    """Read `languages: [en_CA, fr_CA]`: locale tags, the default first, each known to reporter."""
    from reporter.inputs.language import load_language

    if value is None:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(tag, str) for tag in value):
        raise DataError(f"languages must be a list of locales such as [en_CA, fr_CA], got {value!r}", file=path)
    codes = [tag.split("_")[0] for tag in value]
    if len(set(codes)) != len(codes):
        raise DataError(f"languages lists one language twice: {value!r}", file=path)
    for tag in value:
        load_language(tag, settings_file=path)
    return tuple(value)


def _line_ids(value: Any, key: str, path: Path) -> tuple[str, ...]:
    """Read a list of line ids (`key_figures`, `trend`); statement.yaml is checked against it later."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DataError(f"{key} must be a list of line ids, got {value!r}", file=path)
    ids = tuple(str(item) for item in value)
    if key == "trend" and len(set(ids)) != len(ids):  # a line twice would print twice in the trend table
        raise DataError(f"trend names {next(i for i in ids if ids.count(i) > 1)!r} twice", file=path)
    return ids


def _history(value: Any, folder: Path, path: Path) -> tuple[Path, ...]:
    """Resolve `history:` into earlier report folders beside this one (under the same parent folder).

    Only folders beside the report may be named: a report folder handed over cannot make
    reporter read anything else on the machine.
    """
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise DataError(f"history must be a list of earlier report folders such as [../q2-2011], got {value!r}",
                        file=path)
    if len(value) > MAX_HISTORY:
        raise DataError(f"history names {len(value)} folders; at most {MAX_HISTORY} are read", file=path)
    here = folder.resolve()
    folders: list[Path] = []
    for item in value:
        shown = item if item.isprintable() and len(item) <= 200 else repr(item[:200]) + ("…" if len(item) > 200 else "")
        try:
            target = (here / item).resolve()
            if Path(item).is_absolute() or target == here or here.parent not in target.parents:
                raise DataError(f"history: {shown} is not a report folder beside this one; name earlier "
                                f"reports relative to it, such as ../q2-2011", file=path)
            if not (target / REPORT_FILES["settings"]).is_file():
                raise DataError(f"history: {shown} is not a report folder (it has no {REPORT_FILES['settings']})",
                                file=path)
            # Its files are read from inside it: a symlink out of the folder would read anything.
            for name in (REPORT_FILES["settings"], REPORT_FILES["statement"], REPORT_FILES["figures"]):
                if not (target / name).resolve().is_relative_to(target):
                    raise DataError(f"history: {shown}/{name} is a symlink out of its folder; refused", file=path)
        except (OSError, ValueError, RuntimeError) as error:  # a name too long, a NUL byte, a symlink loop
            raise DataError(f"history: {shown} cannot be read as a folder ({getattr(error, 'strerror', None) or error})",
                            file=path) from None
        if target in folders:
            raise DataError(f"history names {shown} twice", file=path)
        folders.append(target)
    return tuple(folders)


def load_settings(folder: Path) -> ReportSettings:
    """Read `report.yaml` of a report folder and check every setting a build relies on."""
    path = folder / REPORT_FILES["settings"]
    data = read_yaml(path)
    _check_keys(data, "", path)
    limits = parse_limits(data.get("limits"), path)
    company_raw = _mapping(data, "company", path)
    _check_keys(company_raw, "company", path)
    name = _text(_require(company_raw, "name", path), "company.name", path) or ""  # required: never empty
    logo = _text(company_raw.get("logo"), "company.logo", path)
    company = Company(
        name=name,
        short_name=_text(company_raw.get("short_name"), "company.short_name", path) or name,
        exchange=_text(company_raw.get("exchange"), "company.exchange", path),
        ticker=_text(company_raw.get("ticker"), "company.ticker", path),
        logo=(folder / logo) if logo else None,
    )
    reporting = _mapping(data, "reporting", path)
    _check_keys(reporting, "reporting", path)
    locale = str(reporting.get("locale", "en_CA"))
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise DataError(f"unknown locale {locale!r}", file=path) from None
    scale_name = str(reporting.get("scale", "units"))
    if scale_name not in SCALES:
        raise DataError(f"scale must be one of {', '.join(SCALES)}, got {scale_name!r}", file=path)
    try:
        calendar = FiscalCalendar.parse(str(data.get("fiscal_year_end", "12-31")))
    except ValueError:
        raise DataError(f"fiscal_year_end must be MM-DD, got {data.get('fiscal_year_end')!r}",
                        file=path) from None
    period_raw = _mapping(data, "period", path)
    _check_keys(period_raw, "period", path)
    restated = period_raw.get("restated", False)
    if not isinstance(restated, bool):
        raise DataError(f"period.restated must be true or false, got {restated!r}", file=path)
    # An all-restated table reports a restated period: its figures carry the mark.
    period = Period(_date(_require(period_raw, "end", path), "period", path),
                    _months(_require(period_raw, "months", path), "period", path), restated)
    tolerance = (None if data.get("tie_out_tolerance") is None else
                 _positive_number(data["tie_out_tolerance"], "tie_out_tolerance", path, allow_zero=True))
    if tolerance is not None and tolerance > MAX_TIE_OUT_TOLERANCE:
        raise DataError(f"tie_out_tolerance: {data['tie_out_tolerance']!r} is more than "
                        f"{MAX_TIE_OUT_TOLERANCE} units of the scale; a rounding difference is a few units",
                        file=path)
    fx_raw = data.get("fx_rates") or []
    if not isinstance(fx_raw, list):
        raise DataError(f"fx_rates must be a list of rates, got {fx_raw!r}", file=path)
    figures_currency = data.get("figures_currency")
    key_figures = list(_line_ids(data.get("key_figures"), "key_figures", path))
    narrative = data.get("narrative", True)
    if not isinstance(narrative, bool):
        raise DataError(f"narrative must be true or false, got {narrative!r}", file=path)
    decimals = reporting.get("decimals")
    if decimals is not None and (not isinstance(decimals, int) or isinstance(decimals, bool)
                                 or not 0 <= decimals <= 6):
        raise DataError(f"reporting.decimals must be a whole number from 0 to 6, got {decimals!r}", file=path)
    nil_mark = reporting.get("nil_mark")
    if nil_mark is not None and (not isinstance(nil_mark, str) or nil_mark.strip().lower() not in NIL_MARKS):
        # Printed where a figure would be: "$9,999" there is a figure no check ever saw.
        raise DataError(f"reporting.nil_mark must be a mark that says nothing is there "
                        f"({', '.join(sorted(NIL_MARKS))}), got {nil_mark!r}", file=path)
    pdf_variant = data.get("pdf_variant")
    if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
        raise DataError(f"pdf_variant must be one of {', '.join(PDF_VARIANTS)}, got {pdf_variant!r}",
                        file=path)
    languages = _languages(data.get("languages"), path)
    texts = tuple((key, code, text) for key in TRANSLATABLE for code, text in _texts(data.get(key), key, path))
    default_code = languages[0].split("_")[0] if languages else "en"
    for key in TRANSLATABLE:
        if isinstance(data.get(key), dict):
            data = {**data, key: dict(_texts(data[key], key, path)).get(default_code)
                    or _texts(data[key], key, path)[0][1]}
    return ReportSettings(
        folder=folder,
        company=company,
        subject=str(data.get("subject") or name),
        calendar=calendar,
        period=period,
        currency=_currency(_require(reporting, "currency", path), locale, path),
        scale_name=scale_name,
        locale=locale,
        decimals=decimals,
        nil_mark=nil_mark,
        fx_rates=tuple(_fx_rate(raw, i, locale, path) for i, raw in enumerate(fx_raw, 1)),
        fx_source=data.get("fx_source"),
        figures_currency=_currency(figures_currency, locale, path) if figures_currency else None,
        legend=str(data.get("legend") or ""),
        key_figures=tuple(str(k) for k in key_figures),
        tie_out_tolerance=tolerance,
        narrative=narrative,
        pdf_variant=pdf_variant,
        languages=languages,
        texts=texts,
        limits=limits,
        history=_history(data.get("history"), folder, path),
        trend=_line_ids(data.get("trend"), "trend", path),
        raw=data,
    )
