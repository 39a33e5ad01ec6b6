"""Stage 5, last step: keep a contents list true to the sections the HTML actually holds.

The context lists the sections that will render (reporter.context.sections), and a template
prints them before it renders its sections, so neither can know what an override removed or
moved. Each entry names the element it points to
(`<li data-target="statement">`); once the whole document is rendered, entries whose target is
missing are dropped and the rest are put in the order their targets appear. Page numbers come
from the layout (`target-counter` in CSS), so they follow.
"""

from __future__ import annotations

import re

TOC = re.compile(r'(<ul class="toc"[^>]*>)(.*?)(</ul>)', re.S)
ENTRY = re.compile(r'<li\b[^>]*\bdata-target="([^"]+)"[^>]*>.*?</li>', re.S)


def order_contents(html: str) -> str:
    r"""Drop contents entries whose target is not in `html`; order the rest as their targets appear.

    >>> page = ('<ul class="toc"><li data-target="b">B</li><li data-target="a">A</li>'
    ...         '<li data-target="x">X</li></ul><h2 id="a">A</h2><h2 id="b">B</h2>')
    >>> order_contents(page).split("</ul>")[0]
    '<ul class="toc">\n<li data-target="a">A</li>\n<li data-target="b">B</li>\n'
    """
    match = TOC.search(html)
    if match is None:
        return html
    rest = html[:match.start()] + html[match.end():]
    positions = {}
    for entry in ENTRY.finditer(match.group(2)):
        found = re.search(rf'\bid="{re.escape(entry.group(1))}"', rest)
        if found:
            positions[entry.group(0)] = found.start()
    entries = "".join(f"\n{entry}" for entry in sorted(positions, key=positions.__getitem__)) + "\n"
    return html[:match.start()] + match.group(1) + entries + match.group(3) + html[match.end():]
