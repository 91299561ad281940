"""Turning what people type into search terms that find Korean nouns inside inflected forms.

The document side is core.search's (the `simple` configuration, every word by prefix), so "발송"
already finds "발송이". What people type is inflected too: "VPN이 자꾸 끊겨요" must find
"VPN 연결이 자꾸 끊길 때". Each typed word therefore becomes a small set of prefixes:
- split where Latin letters or digits meet Hangul ("vpn이" → "vpn", "이"),
- a trailing particle or ending goes ("연결이" → "연결", "비밀번호를" → "비밀번호"),
- a verb whose ending went loses its last syllable too, because the stem's last syllable is
  the one conjugation changes ("끊겨요" → "끊겨" → "끊", which finds "끊길", "끊김", "끊어짐").
No dictionary: a morphological analyser would be better and is a heavy dependency; these rules
cover the everyday questions a portal sees, and the ranking sorts out the looser prefixes.
"""

import re

from django.contrib.postgres.search import SearchQuery

from core.search import SEARCH_CONFIG

_TOKEN = re.compile(r"[0-9a-z]+|[\uac00-\ud7a3]+|[^\W\d_a-z\uac00-\ud7a3]+", re.UNICODE)
_HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")

# Particles after nouns (longest first when matched).
PARTICLES = sorted({
    "에서는", "에서도", "에서", "으로는", "으로", "에게", "한테", "까지", "부터", "처럼", "보다", "이랑", "이나",
    "이라", "이란", "이고", "이면", "이에요", "이예요", "예요", "에요", "입니다", "이가", "이", "가", "은", "는",
    "을", "를", "에", "의", "도", "만", "로", "와", "과", "랑",
}, key=len, reverse=True)
# Verb and adjective endings: removing one of these marks the word as a predicate.
ENDINGS = sorted({
    "습니다", "합니다", "됩니다", "않아요", "않습니다", "해요", "돼요", "되요", "어요", "아요", "여요", "워요",
    "세요", "나요", "는데요", "는데", "지만", "어서", "아서", "니다", "네요", "죠", "요", "어", "아", "고", "면",
    "음", "김", "함", "됨", "는",
}, key=len, reverse=True)
# Words too common to say anything about the problem.
STOPWORDS = frozenset({
    "the", "a", "an", "is", "are", "my", "i", "to", "of", "and", "or", "in", "on", "it", "not", "can", "t",
    "how", "do", "does", "with", "for", "me", "we", "our", "be",
    "좀", "안", "못", "왜", "제", "저", "내", "너무", "그냥", "다시", "어떻게", "있어요", "없어요", "해주세요",
    "합니다", "됩니다", "안돼요", "안됩니다", "됐어요",
})


def _strip(word, suffixes):
    for suffix in suffixes:
        if len(word) > len(suffix) and word.endswith(suffix):
            return word[: -len(suffix)]
    return None


def variants(token):
    """The prefixes one typed token may stand for (the token itself first)."""
    found = [token]
    if not _HANGUL.match(token):
        # English the same way, lightly: "crashing", "crashes" and "crashed" all find "crash".
        english = _strip(token, ("ing", "ed", "es", "s")) if len(token) > 4 and token.isalpha() else None
        return found + [english] if english and len(english) >= 3 else found
    noun = _strip(token, PARTICLES)
    if noun:
        found.append(noun)
    stem = _strip(token, ENDINGS)
    if stem:
        found.append(stem)
        if len(stem) >= 2:
            found.append(stem[:-1])
    return list(dict.fromkeys(found))


def words(text, limit=10):
    """[[variant, ...], ...] for each meaningful word of `text` (at most `limit`)."""
    groups = []
    for token in _TOKEN.findall((text or "").lower()):
        if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
            continue
        group = [v for v in variants(token) if v not in STOPWORDS]
        if group and group not in groups:
            groups.append(group)
        if len(groups) >= limit:
            break
    return groups


def significant(groups, limit=6):
    """For any-word matching: variants long enough to be selective. A one-syllable Korean stem
    or a two-letter English word ("끊", "wi") is fine inside an every-word query, which the other
    words narrow; alone in an any-word query it matches a good part of the knowledge base."""
    kept = []
    for group in groups:
        narrowed = [v for v in group if len(v) >= (2 if _HANGUL.match(v) else 3) or v.isdigit()]
        if narrowed:
            kept.append(narrowed)
    return kept[:limit]


def _escape(word):
    # Tokens are \w runs already; quoting keeps tsquery syntax out whatever they hold.
    return "'" + word.replace("'", "") + "':*"


def tsquery(groups, *, every=True):
    """All (every=True) or any of the word groups; within a group any variant, each by prefix."""
    if not groups:
        return None
    if every:
        text = " & ".join("(" + " | ".join(_escape(v) for v in group) + ")" for group in groups)
    else:
        text = " | ".join(_escape(v) for group in groups for v in group)
    return SearchQuery(text, search_type="raw", config=SEARCH_CONFIG)
