"""Stage 4, the context: everything templates see, built from a loaded report and a theme."""
