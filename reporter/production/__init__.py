"""The production run. Takes many folders x templates x languages; gives the documents built on
worker processes (`run`), `manifest.json` and approval (`manifest`), and page diffs (`diff`)."""
