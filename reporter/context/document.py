"""The context's words about the document: who reports for which period (`report`), the
commentary, and the PDF metadata (`document`).

Each key is documented in reporter.context.figures.DOCS.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Sequence

from markupsafe import Markup

from reporter.inputs.commentary import Commentary
from reporter.context.figures import Formatter
from reporter.inputs.language import Language, default_language
from reporter.inputs.periods import Period
from reporter.inputs.release_date import release_date
from reporter.inputs.settings import ReportSettings


def _period_context(period: Period, settings: ReportSettings, language: Language) -> dict[str, Any]:
    return {
        "key": period.key,
        "label": language.label(settings.calendar, period),
        "phrase": language.phrase(period),
        "heading": language.heading(period),
        "end": period.end,
        "end_text": language.date(period.end),
        "months": period.months,
        "fiscal_year": settings.calendar.fiscal_year(period.end),
        "results_phrase": _results_phrase(period, settings, language),
    }


def _results_phrase(period: Period, settings: ReportSettings, language: Language) -> str:
    """What a cover says the results are for: the period, and the year when the period ends it
    (a fourth quarter is a year-end report: "the three months and the year ended December 31, 2012")."""
    phrase = language.phrase(period)
    if period.months >= 12 or settings.calendar.months_into_year(period.end) != 12:
        return phrase
    return phrase.replace(language.rule("periods", "year_end", "find"),
                          language.rule("periods", "year_end", "replace"), 1)


def _proper_names(names: list[str]) -> list[str]:
    """The names of report.yaml and their capitalised endings: `Mine Los Santos`, `Los Santos`."""
    found = set()
    for name in names:
        words = name.split()
        found.add(" ".join(words))
        for start in range(1, len(words) - 1):
            if all(word[:1].isupper() for word in words[start:]):
                found.add(" ".join(words[start:]))
    return sorted((n for n in found if " " in n), key=len, reverse=True)


def keep_together(patterns: list[str], names: Sequence[str] = ()) -> Callable[[Any], Any]:
    """Return a function that joins with a non-breaking space what a language keeps on one line
    (« 30 juin 2011 », « 1,4 million $ », a proper name such as « Los Santos »), in text or in
    sanitised HTML (its text only, never a tag)."""
    compiled = [re.compile(pattern) for pattern in patterns]
    proper = [re.compile(r"\s+".join(map(re.escape, name.split())), re.IGNORECASE)
              for name in _proper_names(list(names))]

    def in_text(text: str) -> str:
        for pattern in compiled:
            # A group a pattern makes optional may take part in no match: it joins nothing, never "None".
            text = pattern.sub(lambda m: f"{m.group(1) or ''}\u00a0{m.group(2) or ''}", text)
        for pattern in proper:
            text = pattern.sub(lambda m: "\u00a0".join(m.group(0).split()), text)
        return text

    def apply(value: Any) -> Any:
        if value is None or not compiled:
            return value
        if isinstance(value, Markup):
            # Split at tags: only the text between them changes; the replacement adds no markup.
            return Markup("".join(part if part.startswith("<") else in_text(part)
                                  for part in re.split(r"(<[^>]*>)", str(value))))
        return in_text(str(value))

    return apply


def commentary_context(commentary: Commentary, nonbreaking: list[str] | None = None,
                       names: Sequence[str] = ()) -> dict[str, Any]:
    """Expose the commentary with every optional key present (None when not given).

    `nonbreaking`: the language's patterns of words kept on one line (reporter/inputs/languages/<code>.yaml,
    typography), applied to the headline, dateline, lead and sections, with the report's `names`.
    """
    front = commentary.front
    quote = front.get("quote")
    tidy = keep_together(nonbreaking or [], names if nonbreaking else ())

    def section(s):
        return None if s is None else {"id": s.id, "title": s.title, "html": tidy(s.html)}

    return {
        "headline": tidy(commentary.headline),
        "subheadline": tidy(front.get("subheadline")),
        "dateline": tidy(commentary.dateline),
        "lead": tidy(commentary.lead),
        "sections": [section(s) for s in commentary.sections],
        "discussion": [section(s) for s in commentary.discussion],
        "about": section(commentary.section("about")),
        "disclaimer": section(commentary.section("disclaimer")),
        "quote": None if not quote else {
            "text": tidy(" ".join(str(quote["text"]).split())),
            "speaker": quote.get("speaker"), "title": quote.get("title")},
        "footnote": " ".join(str(front["footnote"]).split()) if front.get("footnote") else None,
        "contacts": [{"name": c["name"], "role": c.get("role"), "telephone": c.get("telephone"),
                      "email": c.get("email")} for c in front.get("contacts") or []],
        "exchange_notice": (" ".join(str(front["exchange_notice"]).split())
                            if front.get("exchange_notice") else None),
    }


def _listing(listing: str | None, language: Language) -> str | None:
    """Write the listing with the language's colon: `TSXV: AII`, `TSXV : AII`."""
    if listing is None:
        return listing
    return listing.replace(": ", language.rule("punctuation", "colon") + " ", 1)


def report_context(settings: ReportSettings, output_name: str, logo_url: str | None,
                   fmt: Formatter | None = None) -> dict[str, Any]:
    company = settings.company
    fmt = fmt or Formatter(locale=settings.locale, currency=settings.currency)
    return {
        "company": {"name": company.name, "short_name": company.short_name,
                    "exchange": company.exchange, "ticker": company.ticker,
                    "listing": _listing(company.listing, fmt.language), "logo_url": logo_url},
        "subject": settings.subject,
        "period": _period_context(settings.period, settings, fmt.language),
        "currency": settings.currency,
        # Running text names the currency in words where the language has them (« dollars canadiens »).
        "currency_name": fmt.language.rule("fx", "currency_names").get(settings.currency, settings.currency),
        "currency_caption": fmt.caption(settings.scale),
        "currency_caption_spans": fmt.caption_spans,
        "scale": settings.scale,
        "scale_name": settings.scale_name,
        "locale": fmt.locale,
        "legend": settings.legend,
        "output_name": output_name,
    }


def document_context(settings: ReportSettings, commentary: Commentary, theme_title: str,
                     language: Language | None = None) -> dict[str, Any]:
    words = language or default_language()
    label = words.label(settings.calendar, settings.period)
    keywords = [settings.company.name, settings.company.listing, settings.subject, label, theme_title]
    colon = words.rule("punctuation", "colon")
    # "Q3 2011 Investor Summary" in English; French names the document first, then the period
    # (« Sommaire pour les investisseurs, T3 2011 »): the order is the language's (titles.document).
    order = words.rule("titles", "document")
    return {
        "title": f"{settings.subject}{colon} " + order.format(period=label, title=theme_title),
        "author": settings.company.name,
        "subject": commentary.headline,
        "keywords": ", ".join(k for k in keywords if k),
        "lang": language.html_lang if language and settings.languages else settings.locale.replace("_", "-"),
        "language": language.code if language else "en",
        "date": _iso(release_date(commentary.dateline, language.tag if language else settings.locale)),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
