"""Every CSV the desk lets people download is written here, safe to open in a spreadsheet.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula (`=HYPERLINK(...)` in a CI name becomes a link that leaks data, or
worse). OWASP's advice: prefix such a text cell with a single quote, which spreadsheets show as
text and do not display. Real numbers (int, float, Decimal) stay numbers, so a negative number is
still a number to sum; only text is quoted.

The quoting has an exact inverse (`unquote_cell`) so that a CMDB export re-imports unchanged: a
text that already starts with a quote followed by what would be quoted gets one more quote.
(PostgreSQL COPY buffers in the demo loaders are not exports and use csv directly.)
"""

import csv
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _needs_quote(text):
    while text.startswith(QUOTE):
        text = text[1:]
    return text.startswith(FORMULA_STARTS)


def safe_cell(value):
    """The value as a spreadsheet should receive it: numbers as they are, text never a formula."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    text = str(value)
    return QUOTE + text if _needs_quote(text) else text


def unquote_cell(text):
    """Undo safe_cell on a cell read back from an export (an import of our own CSV)."""
    if isinstance(text, str) and text.startswith(QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """csv.writer whose every cell goes through safe_cell; writerow returns what the file returns
    (so a pseudo-buffer whose write() returns the line streams, as Django's docs show)."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, **kwargs):
    """The csv writer every export uses (see the module docstring)."""
    return SafeWriter(file, **kwargs)
