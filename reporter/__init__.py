"""reporter: quarterly financials and commentary in, branded investor PDFs out."""

__version__ = "0.1.0"
