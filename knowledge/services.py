"""Knowledge use cases: the only writers of articles and their versions.

Each takes the actor and the channel, runs in one transaction, checks `version` under a row lock
(StaleVersion → 409), writes the audit trail and publishes `article.<verb>` (core.events).

Content (title, summary, body) is versioned: it is written to the working version, and reaches
the article row (what readers see) only while the article has never been published, or when the
working version is published. Everything else (category, tags, audience, links, review date)
describes the article as a whole and applies at once.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core import audit, events, search
from core.choices import AuditAction
from core.exceptions import DomainError, PermissionRefused, StaleVersion
from core.models import NumberSequence
from knowledge import rendering, workflow
from knowledge.choices import ArticleState, Audience, Language, VersionState
from knowledge.models import Article, ArticleVersion, KnowledgeCategory

CONTENT_FIELDS = ("title", "summary", "body")
META_FIELDS = ("category", "tags", "language", "audience", "owner", "translation_of", "review_at",
               "reviewer_required")
LINK_FIELDS = ("organisations", "services", "configuration_items", "known_errors", "incidents")
EDITABLE_FIELDS = frozenset(CONTENT_FIELDS + META_FIELDS + LINK_FIELDS)
MAX_TAGS = 20


def review_interval():
    return datetime.timedelta(days=getattr(settings, "KNOWLEDGE_REVIEW_DAYS", 180))


def _require_desk(actor):
    if not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff can write knowledge articles."))


def _clean_content(values):
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise DomainError(_("An article needs a title."), field="title", code="required")
        if len(values["title"]) > 200:
            raise DomainError(_("The title is too long: at most 200 characters."), field="title")
    if "summary" in values:
        values["summary"] = (values["summary"] or "").strip()
        if len(values["summary"]) > 500:
            raise DomainError(_("The summary is too long: at most 500 characters."), field="summary")
    if "body" in values:
        values["body"] = values["body"] or ""
        rendering.check_body_size(values["body"])
    return values


def _clean_meta(values):
    if "category" in values and values["category"] is not None:
        category = values["category"]
        if not isinstance(category, KnowledgeCategory):
            category = KnowledgeCategory.objects.filter(pk=category).first() if str(category).isdigit() else None
            if category is None:
                raise DomainError(_("Unknown category."), field="category", code="does_not_exist")
            values["category"] = category
    if "tags" in values:
        tags = []
        for tag in values["tags"] or ():
            tag = " ".join(str(tag).split()).lower()[:50]
            if tag and tag not in tags:
                tags.append(tag)
        if len(tags) > MAX_TAGS:
            raise DomainError(_("At most %(count)d tags.") % {"count": MAX_TAGS}, field="tags")
        values["tags"] = tags
    if "language" in values and values["language"] not in Language.values:
        raise DomainError(_("Choose Korean or English."), field="language", code="invalid_choice")
    if "audience" in values and values["audience"] not in Audience.values:
        raise DomainError(_("Unknown audience."), field="audience", code="invalid_choice")
    return values


def _check_organisations(audience, organisations):
    if audience == Audience.ORGANISATIONS and not organisations:
        raise DomainError(_("Choose the organisations that may read this article."), field="organisations",
                          code="required")


def _lock(article, expected_version):
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleVersion(locked.version)
    return locked


def _save(article, fields, now):
    article.version += 1
    article.updated_at = now
    fields = {*fields, "version", "updated_at"}
    if "tags" in fields:
        article.tags_text = " ".join(article.tags)
        fields.add("tags_text")
    article.save(update_fields=sorted(fields))
    if fields & {"title", "summary", "body", "tags", "number"}:
        search.refresh(Article, [article.pk])


def _new_version(article, *, actor, now, **content):
    last = article.versions.aggregate(n=Max("number"))["n"] or 0
    base = article.versions.filter(pk=article.published_version_id).first() or article
    values = {name: content.get(name, getattr(base, name)) for name in CONTENT_FIELDS}
    return ArticleVersion.objects.create(
        article=article, number=last + 1, author=actor if getattr(actor, "pk", None) else None,
        body_html=rendering.render_markdown(values["body"]), created_at=now, **values,
    )


def _publish_event(verb, article, *, actor, channel, now, data=None):
    events.publish(f"article.{verb}", article, actor=actor, channel=channel, at=now, data=data or {})


@transaction.atomic
def create_article(*, actor, channel, title, body="", summary="", now=None, system=False, **fields):
    """A new article in draft, with its first version."""
    if not system:
        _require_desk(actor)
    now = now or timezone.now()
    unknown = set(fields) - set(META_FIELDS + LINK_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
                          code="not_editable")
    content = _clean_content({"title": title, "summary": summary, "body": body})
    meta = _clean_meta({k: v for k, v in fields.items() if k in META_FIELDS})
    links = {k: v for k, v in fields.items() if k in LINK_FIELDS}
    _check_organisations(meta.get("audience", Audience.PUBLIC), links.get("organisations"))
    user = actor if getattr(actor, "pk", None) else None
    meta.setdefault("owner", user)
    article = Article(
        number=NumberSequence.format("KB", NumberSequence.allocate("KB")), created_by=user, created_at=now,
        updated_at=now, body_html=rendering.render_markdown(content["body"]), **content, **meta,
    )
    article.tags_text = " ".join(article.tags)
    article.search_vector = search.new_document(article)
    article.save()
    del article.search_vector
    for name, values in links.items():
        getattr(article, name).set(values)
    version = _new_version(article, actor=actor, now=now)
    article.working_version = version
    article.save(update_fields=["working_version"])
    audited = ["number", "title", "summary", "category", "tags", "language", "audience", "owner", "state"]
    audit.record_creation(article, actor=user, channel=channel, fields=audited, at=now)
    _publish_event("created", article, actor=user, channel=channel, now=now)
    return article


@transaction.atomic
def update_article(article, *, actor, channel, changes, expected_version=None, now=None, system=False):
    """Edit an article. Content goes to the working version (a new one if there is none, so a
    published article keeps serving its published text); the rest applies at once.
    Returns (article, diff)."""
    if not system:
        _require_desk(actor)
    now = now or timezone.now()
    changes = dict(changes)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(fields)s.")
                          % {"fields": ", ".join(sorted(unknown))}, code="not_editable")
    content = _clean_content({k: v for k, v in changes.items() if k in CONTENT_FIELDS})
    meta = _clean_meta({k: v for k, v in changes.items() if k in META_FIELDS})
    links = {k: v for k, v in changes.items() if k in LINK_FIELDS}
    locked = _lock(article, expected_version)
    user = actor if getattr(actor, "pk", None) else None
    diff = {}

    if meta:
        before = audit.snapshot(locked, meta.keys())
        for name, value in meta.items():
            setattr(locked, name, value)
        after = audit.snapshot(locked, meta.keys())
        diff.update({n: (before[n], after[n]) for n in meta if before[n] != after[n]})
    if links or "audience" in diff:
        organisations = links.get("organisations", locked.organisations.all())
        _check_organisations(locked.audience, list(organisations))
    for name, values in links.items():
        manager = getattr(locked, name)
        old = sorted(manager.values_list("pk", flat=True))
        new = sorted({getattr(v, "pk", v) for v in values})
        if old != new:
            manager.set(new)
            diff[name] = (old, new)

    working = locked.working_version
    if content:
        source = working or locked.versions.filter(pk=locked.published_version_id).first() or locked
        changed = {n: v for n, v in content.items() if getattr(source, n) != v}
        if changed:
            for name, value in changed.items():
                diff[name] = (getattr(source, name), value)
            if working is None:
                working = _new_version(locked, actor=actor, now=now, **changed)
                locked.working_version = working
                meta["working_version"] = working
            else:
                for name, value in changed.items():
                    setattr(working, name, value)
                if "body" in changed:
                    working.body_html = rendering.render_markdown(working.body)
                # An edit after approval needs approving again.
                if working.state in (VersionState.REVIEW, VersionState.APPROVED):
                    working.state = VersionState.DRAFT
                    working.reviewed_by = None
                    working.reviewed_at = None
                working.author = working.author or user
                working.save()
            if locked.published_version_id is None:
                # Never published: the article row shows the working text to the desk.
                for name, value in changed.items():
                    setattr(locked, name, value)
                    meta[name] = value
                locked.body_html = working.body_html
                meta["body_html"] = locked.body_html
                if locked.state == ArticleState.REVIEW and working.state == VersionState.DRAFT:
                    locked.state = ArticleState.DRAFT
                    meta["state"] = locked.state
    if not diff:
        return locked, {}
    _save(locked, meta.keys() - set(LINK_FIELDS), now)
    audited = {k: v for k, v in diff.items() if k not in Article.AUDIT_EXCLUDE}
    audit.record_changes(locked, actor=user, channel=channel, changes=audited, at=now,
                         context={"working_version": working.number} if working else None)
    _publish_event("updated", locked, actor=user, channel=channel, now=now, data={"fields": sorted(diff)})
    return locked, diff


def _working(locked):
    if locked.working_version_id is None:
        raise DomainError(_("There is no draft of this article to act on: edit it first."), field="state",
                          code="no_draft")
    return locked.working_version


def _move_working(article, action, *, actor, channel, expected_version, now, comment="", extra=None):
    _require_desk(actor)
    now = now or timezone.now()
    locked = _lock(article, expected_version)
    version = _working(locked)
    old = version.state
    version.state = workflow.check_move(action, old)
    for name, value in (extra or {}).items():
        setattr(version, name, value)
    if comment:
        version.review_comment = comment
    version.save()
    fields = set()
    if locked.published_version_id is None and locked.state != ArticleState.RETIRED:
        new_state = ArticleState.DRAFT if version.state == VersionState.DRAFT else ArticleState.REVIEW
        if new_state != locked.state:
            locked.state = new_state
            fields.add("state")
    _save(locked, fields, now)
    audit.record(locked, actor=actor, channel=channel, action=AuditAction.TRANSITIONED, field="working_version",
                 old=str(old), new=str(version.state), context={"version": version.number, "comment": comment},
                 at=now)
    _publish_event(action.replace("_", "-"), locked, actor=actor, channel=channel, now=now,
                   data={"version": version.number, "comment": comment})
    return locked


@transaction.atomic
def submit_for_review(article, *, actor, channel, expected_version=None, now=None):
    return _move_working(article, "submit", actor=actor, channel=channel, expected_version=expected_version,
                         now=now)


@transaction.atomic
def approve(article, *, actor, channel, comment="", expected_version=None, now=None):
    """A reviewer approves the version in review (never their own where a reviewer is required)."""
    locked = Article.objects.select_related("working_version").get(pk=article.pk)
    if locked.working_version is not None:
        workflow.check_approver(author_id=locked.working_version.author_id, reviewer_id=actor.pk,
                                reviewer_required=locked.reviewer_required)
    now = now or timezone.now()
    return _move_working(article, "approve", actor=actor, channel=channel, expected_version=expected_version,
                         now=now, comment=comment, extra={"reviewed_by": actor, "reviewed_at": now})


@transaction.atomic
def send_back(article, *, actor, channel, comment, expected_version=None, now=None):
    """A reviewer returns the version to its author with what needs changing."""
    workflow.check_send_back_comment(comment)
    now = now or timezone.now()
    return _move_working(article, "send_back", actor=actor, channel=channel, expected_version=expected_version,
                         now=now, comment=comment.strip(), extra={"reviewed_by": actor, "reviewed_at": now})


@transaction.atomic
def publish(article, *, actor, channel, expected_version=None, now=None, system=False):
    """Publish the working version: readers see it from now on; the previous one is kept."""
    if not system:
        _require_desk(actor)
    now = now or timezone.now()
    locked = _lock(article, expected_version)
    version = _working(locked)
    workflow.check_publish(version_state=version.state, reviewer_required=locked.reviewer_required and not system)
    if locked.published_version_id:
        ArticleVersion.objects.filter(pk=locked.published_version_id).update(state=VersionState.SUPERSEDED)
    version.state = VersionState.PUBLISHED
    version.published_at = now
    version.save(update_fields=["state", "published_at"])
    old_state = locked.state
    for name in CONTENT_FIELDS + ("body_html",):
        setattr(locked, name, getattr(version, name))
    locked.published_version = version
    locked.working_version = None
    locked.state = ArticleState.PUBLISHED
    locked.published_at = now
    locked.retired_at = None
    locked.needs_review = False
    if locked.review_at is None or locked.review_at <= now:
        locked.review_at = now + review_interval()
    _save(locked, {*CONTENT_FIELDS, "body_html", "published_version", "working_version", "state", "published_at",
                   "retired_at", "needs_review", "review_at"}, now)
    user = actor if getattr(actor, "pk", None) else None
    audit.record(locked, actor=user, channel=channel, action=AuditAction.TRANSITIONED, field="state",
                 old=str(old_state), new=str(locked.state), context={"version": version.number}, at=now)
    _publish_event("published", locked, actor=user, channel=channel, now=now, data={"version": version.number})
    return locked


@transaction.atomic
def retire(article, *, actor, channel, expected_version=None, now=None, system=False, reason=""):
    """Take an article out of circulation; its versions stay."""
    if not system:
        _require_desk(actor)
    now = now or timezone.now()
    locked = _lock(article, expected_version)
    if locked.state == ArticleState.RETIRED:
        return locked
    old_state = locked.state
    locked.state = ArticleState.RETIRED
    locked.retired_at = now
    if locked.published_version_id:
        ArticleVersion.objects.filter(pk=locked.published_version_id).update(state=VersionState.RETIRED)
    _save(locked, {"state", "retired_at"}, now)
    user = actor if getattr(actor, "pk", None) else None
    audit.record(locked, actor=user, channel=channel, action=AuditAction.TRANSITIONED, field="state",
                 old=str(old_state), new=str(locked.state), context={"reason": reason} if reason else None, at=now)
    _publish_event("retired", locked, actor=user, channel=channel, now=now)
    return locked


def versions_of(article):
    return article.versions.select_related("author", "reviewed_by").order_by("number")


def diff(article, v1, v2, *, mode="unified"):
    """The difference between two versions (by number): unified text, or html-escaped rows for a
    side-by-side table (each row: kind, left, right)."""
    from knowledge import diffing

    versions = {v.number: v for v in article.versions.filter(number__in=[v1, v2])}
    missing = [n for n in (v1, v2) if n not in versions]
    if missing:
        raise DomainError(_("No version %(number)s of this article.") % {"number": missing[0]}, field="version",
                          code="does_not_exist")
    return diffing.compare(versions[v1], versions[v2], mode=mode)
