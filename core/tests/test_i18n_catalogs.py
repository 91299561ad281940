"""core.i18n_catalogs: one dictionary per plural rule, answering every message as Django's
separate catalogs answer it (which catalog wins where two translate the same text included)."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

from core import i18n_catalogs


def build(code):
    trans_real._translations.pop(code, None)
    return trans_real.translation(code)


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_each_language_is_one_dictionary_answering_as_djangos_separate_catalogs(code, monkeypatch):
    merged = build(code)
    with monkeypatch.context() as patched:
        patched.setattr(trans_real.TranslationCatalog, "update", i18n_catalogs.DJANGO_UPDATE)
        separate = build(code)
    trans_real._translations.pop(code, None)  # the next test builds it again, merged
    assert len(merged._catalog._catalogs) == 1
    assert len(separate._catalog._catalogs) > 1  # what Django 5.2 builds: if it merges, drop the module
    keys = set(separate._catalog.keys())
    assert set(merged._catalog.keys()) == keys
    assert {key: merged._catalog.get(key) for key in keys} == {key: separate._catalog.get(key) for key in keys}


def test_a_page_in_korean_reads_the_merged_catalog():
    with translation.override("ko"):
        assert len(trans_real._active.value._catalog._catalogs) == 1
        assert translation.gettext("This field is required.") == "필수 항목입니다."
