"""The search registry (core.search): declared documents, one refresh and one query for all."""

import re

import pytest

from core import search
from core.choices import Channel
from incidents.models import Incident
from problems.models import Problem


def _flat(sql):
    return re.sub(r"\s+", " ", sql).strip()


def test_incidents_and_problems_are_searchable_by_declaration():
    assert {Incident, Problem} <= set(search.searchable_models())
    assert list(Incident.SEARCH_FIELDS) == ["number", "title", "description"]


def test_the_documents_are_the_ones_the_gin_indexes_were_built_for():
    assert _flat(Incident.SEARCH_FIELDS.document_sql("i")) == _flat("""
        setweight(to_tsvector('simple', coalesce(i.number, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(i.title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(i.description, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce((SELECT string_agg(c.body, ' ') FROM core_comment c
        WHERE c.content_type_id = %s AND c.object_id = i.id AND NOT c.internal), '')), 'C')""")
    assert _flat(Problem.SEARCH_FIELDS.document_sql("t")) == _flat("""
        setweight(to_tsvector('simple', coalesce(t.number, '') || ' ' || coalesce(t.title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(t.workaround, '') || ' ' || coalesce(t.root_cause, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(t.description, '') || ' ' || coalesce(t.analysis_notes, '')), 'C')""")


@pytest.mark.django_db
def test_korean_words_match_by_prefix_through_the_registry(agent, end_user):
    from incidents import services

    mail = services.open_incident(actor=agent, channel=Channel.WEB, title="메일 발송이 안 됩니다", caller=end_user)
    services.open_incident(actor=agent, channel=Channel.WEB, title="프린터 고장", caller=end_user)
    found = search.apply(Incident.objects.all(), "발송")
    assert [i.pk for i in found] == [mail.pk]
    assert list(search.apply(Incident.objects.all(), "발송 프린터")) == []


def _sql(queryset):
    """The WHERE clause of the queryset's SQL."""
    return str(queryset.query).partition(" WHERE ")[2]


@pytest.mark.django_db
def test_a_whole_ticket_number_is_an_exact_look_up_in_any_case(agent, end_user):
    from incidents import services

    first = services.open_incident(actor=agent, channel=Channel.WEB, title="VPN down", caller=end_user)
    services.open_incident(actor=agent, channel=Channel.WEB, title=f"Same as {first.number}", caller=end_user)
    for text in (first.number, first.number.lower(), f"  {first.number} "):
        found = search.apply(Incident.objects.all(), text)
        assert [i.pk for i in found] == [first.pk]
        # On the number's unique index: no full-text match at all.
        assert "search_vector" not in _sql(found) and '"number" = ' in _sql(found)
    # Fewer digits than a number has stay a prefix search over the documents (both mention it).
    assert search.ticket_number(Incident, first.number[:-2]) is None
    assert len(search.apply(Incident.objects.all(), first.number[:-2])) == 2
    # A number of another type is a word like any other.
    assert search.ticket_number(Incident, "PRB0001001") is None


@pytest.mark.django_db
def test_an_incident_word_search_reads_both_search_indexes():
    """The expression `apply` searches must be the one inc_words_gin was built on, or every word
    search would evaluate to_tsvector row by row (75 s for a rare word at a million incidents)."""
    from django.db import connection

    found = search.apply(Incident.objects.all(), "vpn 복합기").values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.explain()
    assert "inc_words_gin" in plan and "inc_commented_gin" in plan
