"""The words of a release: legend, headline, dateline, lead, quote, sections, contacts, notices.

A newswire release has a shape that does not change from company to company: a distribution
legend, a headline, a paragraph opening with the dateline, body paragraphs with the chief
executive's quote, "About <company>", "For further information please contact:", the exchange's
notice and the forward-looking disclaimer. Each piece is recognised by a pattern kept in
RELEASE_RULES (data, not code paths), and lands where commentary.md and report.yaml keep it.

Text copied from a PDF breaks a paragraph where a page ends and drops the page's footnote in the
middle ("Almonty also" / "¹ The Summary ..." / "intends to continue ..."): a paragraph that ends
without a full stop and is followed, after footnotes, by one that starts in lower case is joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from reporter.ingest.sources import Paragraph

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")

RELEASE_RULES = {
    "legend": re.compile(r"\bnot for (?:distribution|dissemination|release)\b", re.I),
    # "October 3, 2011 – ", "TORONTO, Oct. 3, 2011 /CNW/ - "
    "dateline": re.compile(
        r"^(?P<dateline>(?:[A-Z][A-Za-z .'-]+,\s+){0,3}" + _MONTH + r"\s+\d{1,2},\s+\d{4})"
        r"(?:\s*/[^/]{1,40}/)?\s*[-–—]+\s*(?P<rest>.+)$", re.S),
    # "¹ The Summary ...", "(1) ...", "* ...", and "1The Summary ..." as a PDF gives it back.
    "footnote": re.compile(r"^(?P<mark>[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\(\d{1,2}\)|\*{1,3}|[†‡]|\d\s?(?=[A-Z][a-z]))\s*"
                           r"(?P<text>\S.*)$", re.S),
    "about": re.compile(r"^about\b", re.I),
    "disclaimer": re.compile(r"forward[- ]looking|disclaimer|cautionary", re.I),
    "contacts": re.compile(r"\bcontact\b|\bfurther information\b", re.I),
    "exchange_notice": re.compile(r"accepts? (?:no )?responsibility for the adequacy or accuracy",
                                  re.I),
    "quote": re.compile(
        r"^(?P<before>.*?)(?P<speaker>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}),\s+"
        r"(?P<title>[^,“”\"]{3,120}?),?\s+(?:commented|said|stated|added|noted)[,:]?\s*"
        r"[“\"](?P<text>[^”\"]+)[”\"]\s*(?P<rest>.*)$", re.S),
    "contact": re.compile(
        r"^(?P<name>[^–—\-:]+?)\s+[–—-]\s+(?P<role>.+?)"
        r"(?:\s+(?:Tel(?:ephone)?|Phone|T)\s*[.:]\s*(?P<telephone>[+()\d][\d ()+.-]+\d))?"
        r"(?:\s+(?:E-?mail|E)\s*[.:]\s*(?P<email>\S+@\S+))?\s*$"),
}
# The release names no sections in its body; the paragraphs between the lead and About go here.
DISCUSSION = ("Discussion", "discussion")
HEADING_LIMIT = 80  # a short line without a full stop is a heading
SENTENCE_END = (".", "!", "?", ":", "”", '"', ")")


@dataclass
class Release:
    """The words of a release, placed: front matter keys, lead paragraphs and sections."""

    legend: str | None = None
    headline: str | None = None
    dateline: str | None = None
    lead: list[str] = field(default_factory=list)
    quote: dict[str, str] | None = None
    footnotes: list[tuple[str, str]] = field(default_factory=list)  # (mark, text)
    contacts: list[dict[str, str]] = field(default_factory=list)
    exchange_notice: str | None = None
    sections: list[tuple[str, str, list[str]]] = field(default_factory=list)  # title, id, paras

    def section(self, title: str, section_id: str) -> list[str]:
        """Return the paragraphs of a section, opening it when it is new."""
        for existing_title, existing_id, paragraphs in self.sections:
            if existing_id == section_id:
                return paragraphs
        self.sections.append((title, section_id, []))
        return self.sections[-1][2]


def read_release(paragraphs: Sequence[Paragraph]) -> Release:
    """Place each paragraph of a release; see the module docstring."""
    release = Release()
    texts = _join_page_breaks(paragraphs, release)
    index = 0
    legends = []
    while index < len(texts) and RELEASE_RULES["legend"].search(texts[index][0]):
        legends.append(texts[index][0])
        index += 1
    release.legend = " ".join(legends) or None
    # The headline is the first paragraph; the dateline opens the next one that has it.
    for position in range(index, len(texts)):
        match = RELEASE_RULES["dateline"].match(texts[position][0])
        if match:
            headline = " ".join(t for t, _ in texts[index:position])
            release.headline = headline or None
            release.dateline = match.group("dateline")
            release.lead.append(match.group("rest").strip())
            index = position + 1
            break
    else:
        if index < len(texts) and texts[index][1]:
            release.headline = texts[index][0]
            index += 1
    _place_body(texts[index:], release)
    if release.headline and release.headline.upper() == release.headline:
        release.headline = sentence_case(release.headline, [t for t, _ in texts[index:]]
                                         + release.lead)
    return release


def _join_page_breaks(paragraphs: Sequence[Paragraph],
                      release: Release) -> list[tuple[str, bool]]:
    """Take footnotes out and join paragraphs a page break (and its footnote) cut in two."""
    out: list[tuple[str, bool]] = []
    after_footnote = False
    for paragraph in paragraphs:
        footnote = RELEASE_RULES["footnote"].match(paragraph.text)
        if footnote:
            release.footnotes.append((footnote.group("mark").strip(),
                                      footnote.group("text").strip()))
            after_footnote = True
            continue
        text = paragraph.text
        previous = out[-1][0].rstrip() if out else ""
        if previous and not previous.endswith(SENTENCE_END) and \
                (text[:1].islower() or after_footnote and len(previous) > HEADING_LIMIT):
            out[-1] = (f"{previous} {text}", out[-1][1])
        else:
            out.append((text, paragraph.strong))
        after_footnote = False
    return out


def _is_heading(text: str) -> bool:
    return len(text) <= HEADING_LIMIT and not text.rstrip().endswith((".", ",", ";"))


def _place_body(texts: Sequence[tuple[str, bool]], release: Release) -> None:
    """Place the paragraphs after the lead: quote, headed sections, contacts, notices."""
    current: list[str] | None = None  # the section paragraphs go to; None: discussion
    in_contacts = False
    for text, _ in texts:
        if RELEASE_RULES["exchange_notice"].search(text):
            release.exchange_notice, in_contacts = text, False
            continue
        if in_contacts:
            contact = RELEASE_RULES["contact"].match(text)
            if contact:
                release.contacts.append({k: v for k, v in contact.groupdict().items() if v})
                continue
            detail = RELEASE_RULES["contact"].match(f"x – x {text}")  # a line of its own
            if release.contacts and detail and (detail.group("telephone") or
                                                detail.group("email")):
                release.contacts[-1].update({k: detail.group(k) for k in ("telephone", "email")
                                             if detail.group(k)})
                continue
            in_contacts = False
        if _is_heading(text):
            title = text.rstrip(":").strip()
            if RELEASE_RULES["contacts"].search(title):
                in_contacts = True
                continue
            if RELEASE_RULES["about"].match(title):
                current = release.section(title, "about")
            elif RELEASE_RULES["disclaimer"].search(title):
                current = release.section(title, "disclaimer")
            else:
                current = release.section(title, slug(title))
            continue
        quote = RELEASE_RULES["quote"].match(text) if release.quote is None else None
        if quote:
            release.quote = {"text": quote.group("text").strip(),
                             "speaker": quote.group("speaker").strip(),
                             "title": quote.group("title").strip()}
            for part in (quote.group("before").strip(), quote.group("rest").strip()):
                if part:
                    (current if current is not None else release.section(*DISCUSSION)).append(part)
            continue
        (current if current is not None else release.section(*DISCUSSION)).append(text)


def slug(text: str) -> str:
    """Make a section id from a heading: `Outlook for 2012` -> `outlook-for-2012`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


_WORD = re.compile(r"[A-Za-z][\w&'’.-]*")
_CAPITALISED_RUN = re.compile(r"[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)+")


def sentence_case(headline: str, texts: Sequence[str]) -> str:
    """Write an all-capitals headline as the release's own words are written.

    Names keep the capitals the release's paragraphs give them ("Los Santos Mine", "June"),
    words with `&` or digits stay as they are ("MD&A"), everything else is lower case, and the
    first word starts with a capital. Paragraphs in capitals say nothing and are left out.
    """
    prose = [t for t in texts if t.upper() != t]
    phrases = set()
    for text in prose:
        for match in _CAPITALISED_RUN.finditer(text):
            words = match.group().split()
            if _starts_sentence(text, match.start()):
                words = words[1:]  # "The Los Santos Mine is" at a sentence start
            if len(words) >= 2:
                phrases.add(" ".join(words))
    result = headline.lower()
    protected = [False] * len(result)
    for phrase in sorted(phrases, key=len, reverse=True):
        for match in re.finditer(r"(?<![\w])" + re.escape(phrase.lower()) + r"(?![\w])", result):
            if not any(protected[match.start():match.end()]):
                result = result[:match.start()] + phrase + result[match.end():]
                protected[match.start():match.end()] = [True] * len(phrase)
    cases = _word_cases(prose)
    out = []
    for original, match in zip(_WORD.finditer(headline), _WORD.finditer(result)):
        word = match.group()
        if protected[match.start()]:
            continue
        if "&" in word or any(ch.isdigit() for ch in word):
            out.append((match.start(), match.end(), original.group()))
        elif cases.get(word) == "capital":
            out.append((match.start(), match.end(), word[:1].upper() + word[1:]))
    for start, end, text in reversed(out):
        result = result[:start] + text + result[end:]
    return result[:1].upper() + result[1:]


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before.endswith((".", "!", "?", "“", '"', ":"))


def _word_cases(texts: Sequence[str]) -> dict[str, str]:
    """Say for each lower-cased word whether the paragraphs only ever capitalise it."""
    seen: dict[str, set[str]] = {}
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group()
            if word[:1].isupper() and _starts_sentence(text, match.start()):
                continue  # a capital at a sentence start says nothing
            kind = "capital" if word[:1].isupper() else "lower"
            seen.setdefault(word.lower(), set()).add(kind)
    return {word: kinds.pop() for word, kinds in seen.items() if len(kinds) == 1}
