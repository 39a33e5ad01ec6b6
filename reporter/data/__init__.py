"""The data stages. Takes a report folder's inputs; gives the figures loaded, normalised (signed,
scaled, converted) and tied out, the commentary fact-checked, placeholders found: `load_report`
gives a `LoadedReport`, `check_report` a `CheckedReport`, `validate_report` every result."""
