"""Charts. Takes the chart data the context worked out; gives inline SVG (our own small module:
a charting library would cost more import time than a whole render)."""
