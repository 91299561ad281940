"""One dictionary per language for the translations that share a plural rule, as Django means it.

Django's `TranslationCatalog.update` (django/utils/translation/trans_real.py, 5.2) is meant to merge
a catalog into the top one when both have the same plural rule, and to keep it apart only when the
rule differs. It compares the new rule's code object with the top rule *function*, which is never
equal, so every app's catalog is kept apart: Korean has 19 dictionaries of one rule
(`nplurals=1; plural=0;`), English 8, and every `gettext` that is not in the last app's catalog
tries them one after the other. On the desk queue that was ~8,500 of ~122,000 Python lines per page
(issue 12, eighth round).

`merge_same_plural_catalogs` makes the comparison code with code, as intended. The merged
dictionary answers as the separate ones did: a catalog added later wins, by `dict.update` instead of
by being tried first. `core.tests.test_i18n_catalogs` holds every message of every language equal
to what Django's own catalogs answer.
"""

from asgiref.local import Local
from django.utils.translation import trans_real


DJANGO_UPDATE = trans_real.TranslationCatalog.update  # kept for the test that compares the two


def _update(self, trans):
    if trans.plural.__code__ == self._plurals[0].__code__:
        self._catalogs[0].update(trans._catalog)
    else:
        self._catalogs.insert(0, trans._catalog.copy())
        self._plurals.insert(0, trans.plural)


def merge_same_plural_catalogs():
    """From AppConfig.ready. The catalogs built before (the models' import formats a lazy text,
    which builds the default language's) are dropped, as Django's own test signal for
    LOCALE_PATHS drops them, and built again, merged, when next asked for."""
    trans_real.TranslationCatalog.update = _update
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
