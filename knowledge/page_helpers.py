"""What the knowledge pages need beyond the services and selectors: the editor's field
mapping, the review dispatch, the version diff, tickets addressed generically (content type and
id) for the panels, and the page contexts that read several things at once."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.choices import Channel
from core.web import parse_id
from knowledge import services
from knowledge.choices import ArticleState, VersionState
from knowledge.models import ArticleFeedback

MAX_SHOWN = 50

REVIEW_DONE = {
    "submit": _("%(number)s was submitted for review."),
    "approve": _("%(number)s was approved."),
    "send_back": _("%(number)s was sent back to its author."),
    "publish": _("%(number)s was published."),
    "retire": _("%(number)s was retired."),
}


def page_language(request):
    return "ko" if (get_language() or "").startswith("ko") else "en"


# --- the editor --------------------------------------------------------------------------------

def usage():
    """Feedback and usage counters (the services' usage module)."""
    from knowledge import usage as module

    return module


def article_fields(form, request=None):
    """The editor's values as the services take them; a new article written from a ticket
    links that incident."""
    data = form.cleaned_data
    fields = {name: data.get(name) for name in ("title", "summary", "body", "category", "tags", "language",
                                                 "audience")}
    for name in ("organisations", "services", "configuration_items", "known_errors"):
        fields[name] = list(data.get(name) or [])
    review_at = data.get("review_at")
    if review_at:
        fields["review_at"] = datetime.datetime.combine(review_at, datetime.time(9), tzinfo=timezone.get_current_timezone())
    if request is not None:
        ticket = source_ticket(request)
        if ticket is not None and type(ticket)._meta.label == "incidents.Incident":
            fields["incidents"] = [ticket]
    return fields


def source_ticket(request):
    """The resolved ticket an article is being written from (?ct=&ticket=), if any."""
    ct, pk = parse_id(request.GET.get("ct") or request.POST.get("from_ct")), \
        parse_id(request.GET.get("ticket") or request.POST.get("from_ticket"))
    if not (ct and pk):
        return None
    try:
        return ticket_or_404(request.user, ct, pk)
    except Http404:
        return None


def initial_from_ticket(request):
    """"Create an article from this": the draft starts with the ticket's symptoms and resolution."""
    ticket = source_ticket(request)
    if ticket is None:
        return None
    symptoms = (getattr(ticket, "description", "") or "").strip()
    resolution = (getattr(ticket, "resolution_notes", "") or "").strip()
    body = "\n\n".join(part for part in (
        f"## {_('Symptoms')}\n\n{symptoms}" if symptoms else "",
        f"## {_('Resolution')}\n\n{resolution}" if resolution else "",
    ) if part)
    service = getattr(ticket, "service", None)
    return {
        "title": ticket.title, "summary": (symptoms.splitlines() or [""])[0][:500], "body": body,
        "language": page_language(request), "audience": "internal",
        "services": service.name if service else "",
    }


# --- review ------------------------------------------------------------------------------------

def review(article, action, *, actor, comment="", expected_version=None):
    common = {"actor": actor, "channel": Channel.WEB, "expected_version": expected_version}
    if action == "submit":
        return services.submit_for_review(article, **common)
    if action == "approve":
        return services.approve(article, comment=comment, **common)
    if action == "send_back":
        return services.send_back(article, comment=comment, **common)
    if action == "publish":
        return services.publish(article, **common)
    if action == "retire":
        return services.retire(article, reason=comment, **common)
    raise ValueError(action)


def review_actions(article):
    """The buttons the article page offers, from the states (the services decide for good)."""
    working = article.working_version
    state = working.state if working else None
    actions = []
    if state == VersionState.DRAFT:
        actions.append("submit")
    if state == VersionState.REVIEW:
        actions += ["approve", "send_back"]
    if state == VersionState.APPROVED:
        actions.append("send_back")
    if state in (VersionState.APPROVED,) or (state and not article.reviewer_required):
        actions.append("publish")
    if article.state == ArticleState.PUBLISHED:
        actions.append("retire")
    return actions


# --- tickets, addressed generically ------------------------------------------------------------

def ticket_or_404(user, ct, pk):
    """A ticket of any type (a model with a lifecycle) this user may see, by content type and id."""
    if not (ct and pk):
        raise Http404
    try:
        model = ContentType.objects.get_for_id(ct).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is None or getattr(model, "lifecycle", None) is None:
        raise Http404
    manager = model.objects
    queryset = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
    ticket = queryset.filter(pk=pk).first()
    if ticket is None:
        raise Http404
    return ticket


def is_resolved(ticket):
    lifecycle = ticket.lifecycle
    return ticket.state in lifecycle.resolved or (ticket.state in lifecycle.terminal
                                                  and ticket.state not in lifecycle.cancelled)


def shown_ids(data):
    """The article ids a form says were shown (repeated `kb_shown` or comma separated)."""
    ids = set()
    for value in data.getlist("kb_shown"):
        for token in value.split(","):
            pk = parse_id(token.strip())
            if pk:
                ids.add(pk)
    return set(sorted(ids)[:MAX_SHOWN])


# --- page contexts -----------------------------------------------------------------------------

def detail_context(request, article):
    working = article.working_version
    feedback = list(ArticleFeedback.objects.filter(article=article).select_related("user")[:5])
    return {
        "article": article, "working": working,
        "shown": working if working and article.state != ArticleState.PUBLISHED else article,
        "versions": list(article.versions.select_related("author").order_by("-number")[:10]),
        "feedback": feedback, "review_actions": review_actions(article),
        "helpful_share": helpful_share(article),
    }


def helpful_share(article):
    total = article.helpful_count + article.not_helpful_count
    return round(100 * article.helpful_count / total) if total else None


def report_context(request):
    from knowledge import reports

    return reports.report(limit=10)
