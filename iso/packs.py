"""Writing an evidence pack: a ZIP streamed to a file on disk record by record (memory stays flat
whatever the period), with an index in HTML and PDF in the pack's language.

    index.html, index.pdf          what the pack holds, clause by clause ("no evidence" where none)
    manifest.json                  the request, the seed and the sampled ids per clause
    clauses/<id>/documents/*.md    the current approved text of each document naming the clause
    clauses/<id>/kpis.json         the clause's KPI results over the period
    clauses/<id>/records/*.json    each sampled record: its fields, full audit trail and timeline
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import clauses as catalogue
from core import evidence
from core.models import AuditEntry
from core.selectors import timeline
from iso import facts, sampling


INDEX_CSS = """body{font-family:"NanumGothic","Malgun Gothic",sans-serif;margin:2rem;color:#212529}
h2{font-size:1.1rem;border-bottom:1px solid #dee2e6;padding-bottom:.2rem;margin-top:1.5rem}
h2.depth-0{font-size:1.35rem}.note{color:#495057;font-size:.9rem}.none{color:#842029}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}caption{text-align:left;font-weight:bold}
td,th{border:1px solid #adb5bd;padding:.2rem .5rem;vertical-align:top}.num{text-align:right}
.light{font-size:.8rem;padding:.1rem .4rem;border-radius:.3rem;color:#fff}.red{background:#dc3545}
.amber{background:#ffc107;color:#000}.green{background:#198754}
"""


def bounds(period_start: dt.date, period_end: dt.date):
    """[start, end) of the period in the desk's time zone; the end date is included."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(period_start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _json(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1, default=str)


def _fields(model):
    return [f.name for f in model._meta.concrete_fields
            if not f.primary_key and not isinstance(f, SearchVectorField)]


def _timeline(obj):
    return [{"kind": item.kind, "at": item.at, "actor": str(item.actor) if item.actor else "",
             "channel": item.channel, "text": item.body,
             "changes": [{"field": str(label), "old": str(old), "new": str(new)} for label, old, new in item.changes]}
            for item in timeline(obj, include_internal=True)]


def _record_files(source, ids):
    """(file name, JSON text, str(record)) for each sampled record of one source: one query for the
    records, one for their audit trails, then each timeline."""
    model = source.model
    objects = {obj.pk: obj for obj in model._default_manager.filter(pk__in=ids)}
    content_type = ContentType.objects.get_for_model(model)
    trails = {}
    for entry in (AuditEntry.objects.filter(content_type=content_type, object_id__in=ids)
                  .select_related("actor").order_by("created_at", "id")):
        trails.setdefault(entry.object_id, []).append({
            "at": entry.created_at, "actor": str(entry.actor) if entry.actor else "", "channel": entry.channel,
            "action": entry.action, "field": entry.field, "old": entry.old_value, "new": entry.new_value,
            "context": entry.context})
    names = _fields(model)
    for pk in ids:
        obj = objects.get(pk)
        if obj is None:
            continue
        fields = serializers.serialize("python", [obj], fields=names)[0]["fields"]
        body = {"type": source.model_label, "id": pk, "record": str(obj), "fields": fields,
                "audit_trail": trails.get(pk, []), "timeline": _timeline(obj)}
        yield pk, f"{source.model_label.replace('.', '-')}-{pk}.json", _json(body), str(obj)


def _document_text(document):
    version = document.versions.filter(number=document.current_version).first()
    head = (f"# {document.number} {document.title}\n\n"
            f"- state: {document.state}\n- version: {document.current_version}\n"
            f"- approved: {document.approved_at or ''}\n- next review: {document.review_at or ''}\n"
            f"- clauses: {', '.join(document.clauses)}\n\n")
    return head + (version.body if version else document.description or "")


def write(pack, path, *, progress=lambda done, total: None):
    """Write the pack's ZIP to `path`; return the sample {clause: {model label: [ids]}}."""
    with translation.override(pack.language):
        return _write(pack, path, progress)


def _write(pack, path, progress):
    start, end = bounds(pack.period_start, pack.period_end)
    clause_ids = pack.clauses or [c.id for c in catalogue.CLAUSES]
    lights = facts.readiness_now()
    kpi_cache, sample_ids, summary = {}, {}, []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, clause_id in enumerate(clause_ids, start=1):
            clause = catalogue.get(clause_id)
            folder = f"clauses/{clause_id}"
            sources = evidence.sources(clause_id)
            documents = []
            for document in facts.current_documents(clause_id):
                name = f"{folder}/documents/{document.number}.md"
                archive.writestr(name, _document_text(document))
                documents.append({"number": document.number, "title": document.title,
                                  "version": document.current_version, "review_at": document.review_at,
                                  "path": name})
            kpis = []
            for source in sources:
                if source.kpi:
                    if source.kpi not in kpi_cache:
                        kpi_cache[source.kpi] = source.kpi(start, end)
                    kpis += [{**row, "name": str(row["name"]), "source": str(source.label)}
                             for row in kpi_cache[source.kpi]]
            if kpis:
                archive.writestr(f"{folder}/kpis.json", _json(kpis))
            counts = [{"label": str(source.label), "type": source.model_label,
                       "count": source.records(start, end).count()} for source in sources]
            chosen = sampling.sample(sources, start, end, pack.seed, pack.sample_size)
            by_source = {}
            for source, pk in chosen:
                by_source.setdefault(source, []).append(pk)
            records = []
            for source, ids in by_source.items():
                for pk, name, text, label in _record_files(source, ids):
                    archive.writestr(f"{folder}/records/{name}", text)
                    records.append({"type": str(source.label), "id": pk, "record": label,
                                    "path": f"{folder}/records/{name}"})
                sample_ids.setdefault(clause_id, {})[source.model_label] = ids
            light = lights[clause_id]
            summary.append({"id": clause_id, "title": clause.title, "depth": clause.depth, "light": light.light,
                            "light_label": light.light_label, "reasons": light.reasons, "documents": documents,
                            "kpis": kpis, "counts": counts, "records": records,
                            "evidence": bool(documents or records)})
            progress(done, len(clause_ids))
        context = {"pack": pack, "clauses": summary, "period_start": pack.period_start,
                   "period_end": pack.period_end, "generated_at": timezone.now(),
                   "language": pack.language}
        archive.writestr("index.html", render_to_string("iso/pack_index.html", context))
        archive.writestr("index.css", INDEX_CSS)
        archive.writestr("index.pdf", _pdf(context))
        archive.writestr("manifest.json", _json({
            "pack": pack.pk, "clauses": clause_ids, "period_start": pack.period_start,
            "period_end": pack.period_end, "sample_size": pack.sample_size, "seed": pack.seed,
            "sample_order": "md5(seed || ':' || record type || ':' || id), ascending",
            "sample": sample_ids}))
    return sample_ids


def _pdf(context) -> bytes:
    from django.utils.translation import gettext as _, ngettext
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from reports.exports.pdf import _p, _register_fonts, _styles, _table
    from reports.presentation import Table

    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    page = A4
    width = page[0] - 28 * mm
    pack = context["pack"]
    title = _("ISO/IEC 20000-1 evidence pack")
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=title, author="ITSM service desk")
    story = [_p(title, styles["title"]),
             _p(ngettext("Period %(start)s to %(end)s · sample of %(n)s record per clause · seed %(seed)s",
                         "Period %(start)s to %(end)s · sample of %(n)s records per clause · seed %(seed)s",
                         pack.sample_size)
                % {"start": context["period_start"], "end": context["period_end"], "n": pack.sample_size,
                   "seed": pack.seed}, styles["note"])]
    for clause in context["clauses"]:
        story.append(_p(f"{clause['id']} {clause['title']} · {clause['light_label']}", styles["h2"]))
        if not clause["evidence"]:
            story.append(_p(_("No evidence."), styles["note"]))
        if clause["documents"]:
            story.append(_table(Table([_("Document"), _("Title"), _("Version"), _("Next review")],
                                      [[d["number"], d["title"], d["version"], d["review_at"] or "—"]
                                       for d in clause["documents"]], numeric=frozenset({2})), styles, width))
            story.append(Spacer(1, 2 * mm))
        if clause["kpis"]:
            story.append(_table(Table([_("KPI"), _("Value"), _("Target")],
                                      [[k["name"], "—" if k["value"] is None else f"{k['value']}{k['unit']}",
                                        "—" if k["target"] is None else f"{k['target']}{k['unit']}"]
                                       for k in clause["kpis"]], numeric=frozenset({1, 2})), styles, width))
            story.append(Spacer(1, 2 * mm))
        if clause["records"]:
            story.append(_table(Table([_("Record type"), _("Record"), _("File")],
                                      [[r["type"], r["record"], r["path"]] for r in clause["records"]]),
                                styles, width))
    doc.build(story)
    return buffer.getvalue()


def temporary_file():
    return tempfile.NamedTemporaryFile(prefix="evidence-pack-", suffix=".zip", delete=False)
