"""Catch a misspelled block in an override before it silently renders nothing.

In a template that `{% extends %}` another, only blocks its parents define are rendered; a
top-level `{% block chart %}` where the parents have `charts` is dropped without a word. This
walks the entry template's `extends` chain and compares each template's top-level blocks with
the blocks of its parents (new blocks nested inside an overriding block are fine: they render,
and so is a new block the template calls itself with `{{ self.cover() }}`).
"""

from __future__ import annotations

import jinja2
from jinja2 import nodes

from reporter.errors import TemplateError
from reporter.theme.compiled import environment_fingerprint
from reporter.theme.settings import did_you_mean


def _parse(env: jinja2.Environment, name: str) -> tuple[nodes.Template, str]:
    """Parse a template, once per process and content: a production run checks the same chain per document."""
    assert env.loader is not None  # build_environment always sets one
    source, filename, _ = env.loader.get_source(env, name)
    key = (environment_fingerprint(env), name, filename, source)
    tree = _PARSED.get(key)
    if tree is None:
        tree = env.parse(source, name, filename)  # only read below, never changed: safe to share
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = tree
    return tree, filename or name


MAX_PARSED = 256
_PARSED: dict[tuple, nodes.Template] = {}


def _parent_name(tree: nodes.Template) -> str | None:
    """Return the parent a template extends, when it names it literally."""
    extends = tree.find(nodes.Extends)
    if extends is not None and isinstance(extends.template, nodes.Const):
        return str(extends.template.value)
    return None


def _top_level_blocks(node: nodes.Node) -> list[nodes.Block]:
    """Return the blocks not nested inside another block."""
    found = []
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Block):
            found.append(child)
        else:
            found.extend(_top_level_blocks(child))
    return found


def _called_blocks(tree: nodes.Template) -> set[str]:
    """Return the blocks a template renders itself with `{{ self.name() }}`."""
    return {node.attr for node in tree.find_all(nodes.Getattr)
            if isinstance(node.node, nodes.Name) and node.node.name == "self"}


def _chain_blocks(env: jinja2.Environment, name: str, seen: tuple[str, ...] = ()) -> set[str]:
    """Return every block defined or called by `name` and the templates it extends."""
    if name in seen:  # Jinja reports the loop itself when it renders
        return set()
    tree, _ = _parse(env, name)
    defined = {block.name for block in tree.find_all(nodes.Block)} | _called_blocks(tree)
    parent = _parent_name(tree)
    return defined | (_chain_blocks(env, parent, seen + (name,)) if parent else set())


def check_blocks(env: jinja2.Environment, name: str) -> None:
    """Raise TemplateError for a top-level block no parent of its template defines.

    >>> check_blocks(env, "report.html")   # doctest: +SKIP
    template error: mytheme/report.html:3: block 'chart' is not a block of builtin:base/base.html ...
    """
    seen: tuple[str, ...] = ()
    while name and name not in seen:
        tree, filename = _parse(env, name)
        parent = _parent_name(tree)
        if parent is None:
            return
        # A block shows when a parent defines it or when this template calls it (`self.cover()`).
        known = _chain_blocks(env, parent) | _called_blocks(tree)
        for block in _top_level_blocks(tree):
            if block.name not in known:
                raise TemplateError(
                    f"block {block.name!r} is not a block of {parent} or the templates it extends, "
                    f"so it would never show{did_you_mean(block.name, sorted(known))}",
                    file=filename, line=block.lineno)
        seen, name = seen + (name,), parent
