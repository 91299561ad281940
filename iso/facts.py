"""What the readiness rules and the clause pages need from the database, set-based: one query per
evidence source (an EXISTS or a COUNT over its date index), one for the documents of every
clause, and the two assurance selectors. Never a query per record or per clause."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from core import clauses, evidence
from iso import readiness


def _source_key(source):
    return (source.model_label, source.date_field, source.queryset)


def current_document_counts(today=None) -> dict[str, int]:
    """Current approved documents (not past their review date) per clause id: one query."""
    from documents.choices import DocumentState
    from documents.models import Document

    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c, count(*) FROM {Document._meta.db_table} d CROSS JOIN LATERAL unnest(d.clauses) AS c "
            "WHERE d.state = %s AND (d.review_at IS NULL OR d.review_at >= %s) GROUP BY c",
            [DocumentState.APPROVED, today])
        return dict(cursor.fetchall())


def current_documents(clause_id, today=None):
    from documents.choices import DocumentState
    from documents.models import Document
    from django.db.models import Q

    today = today or timezone.localdate()
    return (Document.objects.filter(state=DocumentState.APPROVED, clauses__contains=[clause_id])
            .filter(Q(review_at__isnull=True) | Q(review_at__gte=today))
            .select_related("owner").defer("search_vector").order_by("number"))


def recent_sources(since) -> dict:
    """For each distinct evidence source: whether it has records since `since`. One statement of
    EXISTS sub-selects (each on its source's date index): one round trip whatever the sources."""
    distinct = {}
    for source in evidence.sources():
        distinct.setdefault(_source_key(source), source)
    if not distinct:
        return {}
    parts, params = [], []
    for source in distinct.values():
        sql, sub_params = source.records(start=since).order_by().values("pk")[:1].query.sql_with_params()
        parts.append(f"EXISTS({sql})")
        params.extend(sub_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(distinct, row))


def gather(now=None) -> dict[str, readiness.Facts]:
    from assurance import selectors as assurance

    now = now or timezone.now()
    today = timezone.localdate(now)
    since = now - dt.timedelta(days=readiness.RECENT_DAYS)
    documents = current_document_counts(today)
    recent = recent_sources(since)
    audited = set(assurance.audited_clause_ids(today - dt.timedelta(days=readiness.AUDIT_CYCLE_DAYS)))
    major = set(assurance.open_major_nonconformity_clause_ids())
    facts = {c.id: readiness.Facts(c.id, documents=documents.get(c.id, 0), audited=c.id in audited,
                                   major_nc=c.id in major) for c in clauses.CLAUSES}
    for source in evidence.sources():
        item = facts[source.clause_id]
        has = recent[_source_key(source)]
        item.sources += 1
        item.recent_records += int(has)
        if source.kpi:
            item.kpi_sources += 1
            item.kpi_records += int(has)
    return facts


def readiness_now(now=None):
    return readiness.assess(gather(now))


def source_counts(clause_id, start, end) -> list[tuple]:
    """(source, records in [start, end)) for the clause's sources: one COUNT each."""
    return [(source, source.records(start, end).count()) for source in evidence.sources(clause_id)]
