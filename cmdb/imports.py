"""CSV and JSON import and export of CIs and relationships.

An import runs in two phases so that progress can be watched and a dry run shows exactly
what would happen:

1. **plan**: every row is parsed and validated against the database and the rows before it
   (natural key = class + name + environment, or `external_id`), in chunks, writing progress
   to the ImportJob row as it goes. Nothing is written to the CMDB.
2. **apply** (unless dry run): one transaction writes the planned creates and updates through
   the services (so they are audited). All-or-nothing: if any row is bad, nothing is written,
   unless "skip bad rows" was chosen.

Row numbers are those a spreadsheet shows: in CSV the header is row 1, so the first record is
row 2; in JSON the first object of the list is row 1.

File format (the export writes the same columns, so an export re-imports unchanged):
  CIs: ci_class (slug), name, environment, status, criticality, owner_group (team name),
       location, vendor, description, tags (";"-separated in CSV), external_id,
       attributes (a JSON object; in CSV a JSON text), and optionally attr.<key> columns.
  Relationships: source_class, source_name, source_environment, source_external_id, type,
       target_class, target_name, target_environment, target_external_id (a CI is found by
       its external id when given, otherwise by class + name + environment).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Team
from cmdb import services
from cmdb.choices import Environment, RelationshipType
from cmdb.models import CIClass, ConfigurationItem, ImportJob, Relationship, RelationshipRule
from core import events, exports, jsontext
from core.choices import Channel

CI_COLUMNS = ["ci_class", "name", "environment", "status", "criticality", "owner_group", "location", "vendor",
              "description", "tags", "external_id", "attributes"]
REL_COLUMNS = ["source_class", "source_name", "source_environment", "source_external_id", "type",
               "target_class", "target_name", "target_environment", "target_external_id"]
CHUNK = 1000
PREVIEW_LIMIT = 500
ERROR_LIMIT = 1000
# Imports larger than this run as a Celery task; the page polls the job's progress.
BACKGROUND_THRESHOLD = 500


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not CSV/JSON, wrong shape)."""


@dataclass
class Plan:
    rows: int = 0
    operations: list = field(default_factory=list)  # (row, action, payload)
    errors: list = field(default_factory=list)  # {"row", "field", "message"}
    counts: dict = field(default_factory=lambda: {"create": 0, "update": 0, "unchanged": 0})

    def error(self, row, field_name, message):
        self.errors.append({"row": row, "field": field_name, "message": str(message)})

    @property
    def bad_rows(self):
        return sorted({e["row"] for e in self.errors})


# --- parsing ------------------------------------------------------------------------------


def parse(text: str, fmt: str) -> list[tuple[int, dict]]:
    """(row number, record) pairs from CSV or JSON text."""
    if fmt == "json":
        try:
            data = jsontext.loads(text)
        except ValueError as exc:  # a syntax error, or nested too deep (jsontext.JSONTooDeep)
            raise ImportFileError(_("Not valid JSON: %(error)s") % {"error": exc}) from None
        if isinstance(data, dict):
            data = data.get("results", data.get("items"))
        if not isinstance(data, list):
            raise ImportFileError(_("The JSON must be a list of objects."))
        return [(index, item if isinstance(item, dict) else None) for index, item in enumerate(data, start=1)]
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ImportFileError(_("The CSV file has no header row."))
    rows = []
    for index, record in enumerate(reader, start=2):
        if None in record:
            rows.append((index, None))
            continue
        # Our export quotes cells a spreadsheet would run as formulas (core.exports): undone here.
        rows.append((index, {k.strip(): (exports.unquote_cell(v.strip()) if isinstance(v, str) else v)
                             for k, v in record.items() if k}))
    return rows


def count_rows(text: str, fmt: str) -> int:
    try:
        return len(parse(text, fmt))
    except ImportFileError:
        return 0


def _blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


def _coerce(value, spec):
    """CSV cells are text: turn them into the type the attribute schema asks for."""
    if not isinstance(value, str):
        return value
    kind = spec.get("type") if isinstance(spec, dict) else None
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value  # the schema check reports it with its path
    if kind == "boolean":
        lowered = value.lower()
        if lowered in ("true", "yes", "1", "y"):
            return True
        if lowered in ("false", "no", "0", "n"):
            return False
    if kind == "array":
        return [part.strip() for part in value.split(";") if part.strip()]
    if kind == "object":
        try:
            return jsontext.loads(value)
        except ValueError:
            return value
    return value


# --- planning CIs ---------------------------------------------------------------------------


class _Lookups:
    def __init__(self):
        self.classes = {}
        for cls in CIClass.objects.all():
            self.classes[cls.slug.lower()] = cls
            self.classes.setdefault(str(cls.name).lower(), cls)
        self.teams = {}
        for team in Team.objects.all():
            self.teams[team.name.lower()] = team
            self.teams[str(team.pk)] = team
        self.environments = {value: value for value in Environment.values}
        self.environments.update({str(label).lower(): value for value, label in Environment.choices})


def _row_fields(record, row, plan, lookups):
    """The CI fields a record gives (only those present), or None after recording errors."""
    fields, bad = {}, False
    cls_raw = record.get("ci_class")
    cls = lookups.classes.get(str(cls_raw).strip().lower()) if not _blank(cls_raw) else None
    if cls is None:
        plan.error(row, "ci_class", _("Unknown CI class “%(value)s”.") % {"value": cls_raw or ""}
                   if not _blank(cls_raw) else _("This field is required."))
        return None
    fields["ci_class"] = cls
    name = record.get("name")
    if _blank(name):
        plan.error(row, "name", _("This field is required."))
        bad = True
    else:
        fields["name"] = str(name).strip()
    env_raw = record.get("environment")
    if _blank(env_raw):
        fields["environment"] = Environment.PRODUCTION
    else:
        env = lookups.environments.get(str(env_raw).strip().lower())
        if env is None:
            plan.error(row, "environment", _("“%(value)s” is not one of: %(allowed)s.") % {
                "value": env_raw, "allowed": ", ".join(Environment.values)})
            bad = True
        fields["environment"] = env
    for name_ in ("status", "location", "vendor", "description"):
        if not _blank(record.get(name_)):
            fields[name_] = str(record[name_]).strip()
    if not _blank(record.get("criticality")):
        try:
            fields["criticality"] = int(record["criticality"])
        except (TypeError, ValueError):
            plan.error(row, "criticality", _("Must be a whole number from 1 to 4."))
            bad = True
    if "owner_group" in record:
        owner = record.get("owner_group")
        if _blank(owner):
            fields["owner_group"] = None
        else:
            team = lookups.teams.get(str(owner).strip().lower())
            if team is None:
                plan.error(row, "owner_group", _("Unknown group “%(value)s”.") % {"value": owner})
                bad = True
            fields["owner_group"] = team
    if not _blank(record.get("external_id")):
        fields["external_id"] = str(record["external_id"]).strip()
    tags = record.get("tags")
    if isinstance(tags, list):
        fields["tags"] = [str(t).strip() for t in tags if str(t).strip()]
    elif not _blank(tags):
        fields["tags"] = [t.strip() for t in str(tags).replace(",", ";").split(";") if t.strip()]
    attributes = record.get("attributes")
    if isinstance(attributes, str) and not _blank(attributes):
        try:
            attributes = jsontext.loads(attributes)
        except ValueError:
            plan.error(row, "attributes", _("Not a valid JSON object."))
            return None
    if attributes is not None and not _blank(attributes):
        if not isinstance(attributes, dict):
            plan.error(row, "attributes", _("Not a valid JSON object."))
            return None
        fields["attributes"] = attributes
    properties = (cls.attribute_schema or {}).get("properties") or {}
    extra = {key[5:]: _coerce(value, properties.get(key[5:], {}))
             for key, value in record.items() if key.startswith("attr.") and not _blank(value)}
    if extra:
        fields["attribute_updates"] = extra
    return None if bad else fields


def _current(ci, name):
    # attname: compare foreign keys by id without loading the related row.
    return getattr(ci, ConfigurationItem._meta.get_field(name).attname)


def _plan_ci_chunk(chunk, plan, lookups, seen):
    parsed = []
    for row, record in chunk:
        if record is None:
            plan.error(row, "", _("The row is not a record (wrong number of columns or not an object)."))
            continue
        fields = _row_fields(record, row, plan, lookups)
        if fields is not None:
            parsed.append((row, fields))
    ext_ids = {f["external_id"] for _r, f in parsed if f.get("external_id")}
    names = {f["name"] for _r, f in parsed}
    by_ext = {ci.external_id: ci for ci in ConfigurationItem.objects.filter(external_id__in=ext_ids)} if ext_ids else {}
    by_key = {}
    for ci in ConfigurationItem.objects.filter(name__in=names):
        by_key[(ci.ci_class_id, ci.name, ci.environment)] = ci
    for row, fields in parsed:
        updates = fields.pop("attribute_updates", None)
        ext = fields.get("external_id")
        key = (fields["ci_class"].pk, fields["name"], fields["environment"])
        target = by_ext.get(ext) if ext else None
        if target is None:
            target = by_key.get(key)
        if key in seen["keys"] or (ext and ext in seen["ext"]) or (target and target.pk in seen["cis"]):
            earlier = seen["keys"].get(key) or seen["ext"].get(ext) or seen["cis"].get(target.pk if target else None)
            plan.error(row, "name", _("Same CI as row %(row)s.") % {"row": earlier})
            continue
        clash = by_key.get(key)
        if target is not None and clash is not None and clash.pk != target.pk:
            plan.error(row, "name", _("Another CI (#%(id)s) already has this class, name and environment.")
                       % {"id": clash.pk})
            continue
        if target is None:
            candidate = ConfigurationItem(**fields)
        else:
            candidate = ConfigurationItem.objects.model(**{f.attname: getattr(target, f.attname)
                                                           for f in ConfigurationItem._meta.concrete_fields})
            for name_, value in fields.items():
                setattr(candidate, name_, value)
        if updates:
            base = dict(candidate.attributes or {}) if "attributes" not in fields or target is None else dict(
                fields["attributes"])
            base.update(updates)
            candidate.attributes = base
            fields["attributes"] = base
        try:
            candidate.full_clean(exclude=["ci_class", "owner_group"], validate_unique=False,
                                 validate_constraints=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                for message in messages:
                    plan.error(row, "" if field_name == "__all__" else field_name, message)
            continue
        seen["keys"][key] = row
        if ext:
            seen["ext"][ext] = row
        label = f"{fields['ci_class'].slug} {fields['name']} ({fields['environment']})"
        if target is None:
            plan.operations.append((row, "create", {"fields": fields, "label": label}))
            plan.counts["create"] += 1
            continue
        seen["cis"][target.pk] = row
        changes = {name_: value for name_, value in fields.items() if _current(target, name_) != (
            value.pk if hasattr(value, "pk") else value)}
        if changes:
            plan.operations.append((row, "update", {"ci": target, "changes": changes, "label": label}))
            plan.counts["update"] += 1
        else:
            plan.operations.append((row, "unchanged", {"ci": target, "label": label}))
            plan.counts["unchanged"] += 1


# --- planning relationships ------------------------------------------------------------------


def _ci_ref(record, prefix):
    ext = record.get(f"{prefix}_external_id")
    if not _blank(ext):
        return ("ext", str(ext).strip())
    raw_id = record.get(prefix)
    if not _blank(raw_id):
        try:
            return ("id", int(raw_id))
        except (TypeError, ValueError):
            return None
    cls, name = record.get(f"{prefix}_class"), record.get(f"{prefix}_name")
    if _blank(cls) or _blank(name):
        return None
    env = record.get(f"{prefix}_environment")
    return ("key", str(cls).strip().lower(), str(name).strip(),
            Environment.PRODUCTION if _blank(env) else str(env).strip().lower())


def _plan_relationship_chunk(chunk, plan, lookups, seen, rules):
    refs = []
    for row, record in chunk:
        if record is None:
            plan.error(row, "", _("The row is not a record (wrong number of columns or not an object)."))
            continue
        source, target = _ci_ref(record, "source"), _ci_ref(record, "target")
        rel_type = str(record.get("type") or "").strip()
        bad = False
        for name_, ref in (("source", source), ("target", target)):
            if ref is None:
                plan.error(row, name_, _("Name the CI by %(prefix)s_external_id or by %(prefix)s_class, "
                                         "%(prefix)s_name and %(prefix)s_environment.") % {"prefix": name_})
                bad = True
        if rel_type not in RelationshipType.values:
            plan.error(row, "type", _("“%(value)s” is not one of: %(allowed)s.") % {
                "value": rel_type, "allowed": ", ".join(RelationshipType.values)})
            bad = True
        if not bad:
            refs.append((row, source, target, rel_type))
    ext_ids = {ref[1] for _r, s, t, _ty in refs for ref in (s, t) if ref[0] == "ext"}
    ids = {ref[1] for _r, s, t, _ty in refs for ref in (s, t) if ref[0] == "id"}
    names = {ref[2] for _r, s, t, _ty in refs for ref in (s, t) if ref[0] == "key"}
    found = {}
    queryset = ConfigurationItem.objects.select_related("ci_class")
    if ext_ids:
        found.update({("ext", ci.external_id): ci for ci in queryset.filter(external_id__in=ext_ids)})
    if ids:
        found.update({("id", ci.pk): ci for ci in queryset.filter(pk__in=ids)})
    if names:
        for ci in queryset.filter(name__in=names):
            found[("key", ci.ci_class.slug.lower(), ci.name, ci.environment)] = ci
            found[("key", str(ci.ci_class.name).lower(), ci.name, ci.environment)] = ci
    resolved = []
    for row, source_ref, target_ref, rel_type in refs:
        source, target = found.get(source_ref), found.get(target_ref)
        bad = False
        for name_, ref, ci in (("source", source_ref, source), ("target", target_ref, target)):
            if ci is None:
                plan.error(row, name_, _("No CI matches %(ref)s.") % {"ref": " / ".join(str(p) for p in ref[1:])})
                bad = True
        if bad:
            continue
        if source.pk == target.pk:
            plan.error(row, "target", _("A CI cannot be related to itself."))
            continue
        if rel_type in rules and (source.ci_class_id, target.ci_class_id) not in rules[rel_type]:
            plan.error(row, "type", _("A %(source)s cannot have a '%(type)s' relationship to a %(target)s.") % {
                "source": source.ci_class, "type": RelationshipType(rel_type).label, "target": target.ci_class})
            continue
        key = (source.pk, target.pk, rel_type)
        if key in seen["rels"]:
            plan.error(row, "target", _("Same relationship as row %(row)s.") % {"row": seen["rels"][key]})
            continue
        seen["rels"][key] = row
        resolved.append((row, source, target, rel_type))
    existing = set()
    if resolved:
        pairs = Relationship.objects.filter(source_id__in={s.pk for _r, s, _t, _ty in resolved},
                                            target_id__in={t.pk for _r, _s, t, _ty in resolved})
        existing = set(pairs.values_list("source_id", "target_id", "type"))
    for row, source, target, rel_type in resolved:
        label = f"{source.name} {rel_type} {target.name}"
        if (source.pk, target.pk, rel_type) in existing:
            plan.operations.append((row, "unchanged", {"label": label}))
            plan.counts["unchanged"] += 1
        else:
            plan.operations.append((row, "create", {"source": source, "target": target, "type": rel_type,
                                                     "label": label}))
            plan.counts["create"] += 1


def plan_import(kind, rows, *, progress=None) -> Plan:
    """Validate every row and decide what it would do; writes nothing to the CMDB."""
    plan = Plan(rows=len(rows))
    lookups = _Lookups()
    seen = {"keys": {}, "ext": {}, "cis": {}, "rels": {}}
    rules = {}
    for source_class, rel_type, target_class in RelationshipRule.objects.values_list(
            "source_class_id", "type", "target_class_id"):
        rules.setdefault(rel_type, set()).add((source_class, target_class))
    for offset in range(0, len(rows), CHUNK):
        chunk = rows[offset:offset + CHUNK]
        if kind == ImportJob.Kind.RELATIONSHIPS:
            _plan_relationship_chunk(chunk, plan, lookups, seen, rules)
        else:
            _plan_ci_chunk(chunk, plan, lookups, seen)
        if progress:
            progress(min(len(rows), offset + len(chunk)))
    plan.errors.sort(key=lambda error: error["row"])
    return plan


class _Rollback(Exception):
    pass


def apply_plan(kind, plan, *, actor, channel, skip_bad_rows, authorised_by=None):
    """Write the planned operations in one transaction. Returns counts, and errors met while writing."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": len(plan.bad_rows)}
    write_errors = []
    try:
        with transaction.atomic():
            for row, action, payload in plan.operations:
                if action == "unchanged":
                    counts["unchanged"] += 1
                    continue
                try:
                    with transaction.atomic():
                        if kind == ImportJob.Kind.RELATIONSHIPS:
                            services.add_relationship(source=payload["source"], target=payload["target"],
                                                      type=payload["type"], actor=actor, channel=channel,
                                                      authorised_by=authorised_by)
                        elif action == "create":
                            services.create_ci(actor=actor, channel=channel, authorised_by=authorised_by,
                                               **payload["fields"])
                        else:
                            services.update_ci(payload["ci"], actor=actor, channel=channel,
                                               changes=payload["changes"], authorised_by=authorised_by)
                except (ValidationError, IntegrityError) as exc:
                    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                    write_errors.extend({"row": row, "field": "", "message": m} for m in messages)
                    if not skip_bad_rows:
                        raise _Rollback() from exc
                    counts["skipped"] += 1
                    continue
                counts["created" if action == "create" else "updated"] += 1
    except _Rollback:
        return {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}, write_errors, False
    return counts, write_errors, True


def start(job: ImportJob, *, actor, channel) -> None:
    """Small imports run now; large ones are queued through the outbox (cmdb.apps), so a broker
    outage delays the job instead of failing the upload."""
    if count_rows(job.payload, job.format) <= BACKGROUND_THRESHOLD:
        run_pending(job.pk)
    else:
        events.publish("cmdb.import_queued", job, actor=actor, channel=channel)


def run_pending(job_id: int) -> None:
    """Run a pending job; safe to call twice (a job that already started is left alone)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING)
    if claimed:
        run_job(ImportJob.objects.get(pk=job_id))


def run_job(job: ImportJob) -> ImportJob:
    """Plan and (unless dry run or refused) apply an import job, recording progress and results."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        rows = parse(job.payload, job.format)
    except ImportFileError as exc:
        return _finish(job, status=ImportJob.Status.FAILED, message=str(exc))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))
    job.total_rows = len(rows)

    def progress(done):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    plan = plan_import(job.kind, rows, progress=progress)
    preview = [{"row": row, "action": action, "label": payload["label"]}
               for row, action, payload in plan.operations[:PREVIEW_LIMIT]]
    errors = plan.errors[:ERROR_LIMIT]
    bad = len(plan.bad_rows)
    if job.dry_run:
        message = _("Dry run: %(create)s to create, %(update)s to update, %(unchanged)s unchanged, "
                    "bad rows: %(bad)s. Nothing was written.") % {**plan.counts, "bad": bad}
        return _finish(job, status=ImportJob.Status.DONE, preview=preview, errors=errors, message=message,
                       created_count=plan.counts["create"], updated_count=plan.counts["update"],
                       unchanged_count=plan.counts["unchanged"], skipped_count=bad)
    if plan.errors and not job.skip_bad_rows:
        message = _("Bad rows: %(bad)s; nothing was imported. Fix them, or choose “skip bad rows”.") % {"bad": bad}
        return _finish(job, status=ImportJob.Status.FAILED, preview=preview, errors=errors, message=message)
    counts, write_errors, applied = apply_plan(
        job.kind, plan, actor=job.created_by, channel=Channel.WEB, skip_bad_rows=job.skip_bad_rows,
        authorised_by=job.authorised_by or None)
    errors = (errors + write_errors)[:ERROR_LIMIT]
    if not applied:
        return _finish(job, status=ImportJob.Status.FAILED, preview=preview, errors=errors,
                       message=_("A row failed while writing: nothing was imported."))
    message = _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(skipped)s skipped.") % counts
    return _finish(job, status=ImportJob.Status.DONE, preview=preview, errors=errors, message=message,
                   created_count=counts["created"], updated_count=counts["updated"],
                   unchanged_count=counts["unchanged"], skipped_count=counts["skipped"])


def _finish(job, **values):
    values.setdefault("finished_at", timezone.now())
    if values.get("status") == ImportJob.Status.DONE or "preview" in values:
        values.setdefault("processed_rows", job.total_rows)
    ImportJob.objects.filter(pk=job.pk).update(**values)
    job.refresh_from_db()
    return job


# --- export -----------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def ci_records(queryset):
    for ci in queryset.select_related("ci_class", "owner_group").order_by("pk").iterator(chunk_size=2000):
        yield {
            "ci_class": ci.ci_class.slug, "name": ci.name, "environment": ci.environment, "status": ci.status,
            "criticality": ci.criticality, "owner_group": ci.owner_group.name if ci.owner_group else "",
            "location": ci.location, "vendor": ci.vendor, "description": ci.description, "tags": ci.tags,
            "external_id": ci.external_id or "", "attributes": ci.attributes,
        }


def relationship_records(queryset):
    rows = queryset.select_related("source__ci_class", "target__ci_class").order_by("pk")
    for rel in rows.iterator(chunk_size=2000):
        yield {
            "source_class": rel.source.ci_class.slug, "source_name": rel.source.name,
            "source_environment": rel.source.environment, "source_external_id": rel.source.external_id or "",
            "type": rel.type,
            "target_class": rel.target.ci_class.slug, "target_name": rel.target.name,
            "target_environment": rel.target.environment, "target_external_id": rel.target.external_id or "",
        }


def csv_lines(records, columns):
    writer = exports.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for record in records:
        values = []
        for column in columns:
            value = record.get(column, "")
            if column == "tags":
                value = ";".join(value or [])
            elif column == "attributes":
                value = json.dumps(value or {}, ensure_ascii=False, sort_keys=True)
            values.append(value)
        yield writer.writerow(values)


def json_chunks(records):
    yield "["
    first = True
    for record in records:
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False, sort_keys=True)
        first = False
    yield "]\n"
