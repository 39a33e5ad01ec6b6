"""Themes. Takes a template name or a theme folder; gives a `ResolvedTheme` (search path,
checked theme.yaml settings, assets) and the one sandboxed Jinja environment, with the filters,
catalogs, block checks and `templates init`."""
