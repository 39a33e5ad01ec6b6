"""Rendering. Takes the context and a resolved theme; gives the HTML (`html`, with `contents`),
the PDF (`pdf` through WeasyPrint, `fontsubset`, `native`, the PDF/A and PDF/UA additions of
`archive`) and the self-contained `-f html` file (`html_export`)."""
