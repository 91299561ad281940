"""Known errors publish articles (a subscriber of the problem events; problems knows nothing of it).

When a problem is published as a known error, its article is created or brought up to date and
published: symptoms (the problem's title and description) and the workaround, and the root cause
where the audience is the desk. Unpublishing the known error, closing or cancelling the problem
retires the article.

Audience: public by default (setting KNOWLEDGE_KNOWN_ERROR_AUDIENCE). A known error's workaround
is exactly what lets people help themselves while the fix is pending, and seeing "this is known,
here is what to do" in the portal is what stops the next ten duplicate tickets. The root cause
often names internal hosts and vendors, so a public article leaves it out
(KNOWLEDGE_KNOWN_ERROR_PUBLIC_ROOT_CAUSE to include it).

No reviewer is asked: publishing the known error is the problem manager's reviewed act, and a
second approval would leave the workaround unpublished exactly when people need it.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from knowledge import services
from knowledge.choices import ArticleState, Audience, Language
from knowledge.models import Article

WATCHED = {"known_error", "title", "description", "workaround", "root_cause", "state"}
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def audience():
    value = getattr(settings, "KNOWLEDGE_KNOWN_ERROR_AUDIENCE", Audience.PUBLIC)
    return value if value in (Audience.PUBLIC, Audience.INTERNAL) else Audience.PUBLIC


def language_of(problem):
    return Language.KOREAN if _HANGUL.search(f"{problem.title} {problem.description}") else Language.ENGLISH


def content(problem, audience_value, language):
    """Title, summary and Markdown body of the article of `problem`, in its language."""
    with translation.override(language):
        parts = [f"## {_('Symptoms')}", problem.description.strip() or problem.title]
        if problem.workaround.strip():
            parts += [f"## {_('Workaround')}", problem.workaround.strip()]
        show_cause = audience_value == Audience.INTERNAL or getattr(
            settings, "KNOWLEDGE_KNOWN_ERROR_PUBLIC_ROOT_CAUSE", False)
        if show_cause and problem.root_cause.strip():
            parts += [f"## {_('Root cause')}", problem.root_cause.strip()]
        parts.append(f"_{_('Known error %(number)s: a fix is being worked on.') % {'number': problem.number}}_")
        summary = (_("Known error: %(text)s") % {"text": problem.workaround.strip() or problem.title})[:500]
    return {"title": problem.title[:200], "summary": " ".join(summary.split()), "body": "\n\n".join(parts)}


def is_live(problem):
    from problems.choices import TERMINAL_STATES

    return problem.known_error and problem.state not in TERMINAL_STATES


def sync(problem, *, actor=None, channel="system"):
    """Bring the known error's article in line with the problem: published while the known error
    is, retired otherwise. Returns the article (or None when there is none and need be none)."""
    article = Article.objects.filter(known_error_of=problem).first()
    if not is_live(problem):
        if article is not None and article.state != ArticleState.RETIRED:
            article = services.retire(article, actor=actor, channel=channel, system=True,
                                      reason=_("The known error was withdrawn or its problem closed."))
        return article
    if article is None:
        audience_value = audience()
        language = language_of(problem)
        article = services.create_article(
            actor=actor, channel=channel, system=True, **content(problem, audience_value, language),
            language=language, audience=audience_value, tags=["known-error"], reviewer_required=False,
            known_errors=[problem], configuration_items=list(problem.configuration_items.all()),
            owner=problem.assigned_to or (actor if getattr(actor, "pk", None) else None),
        )
        Article.objects.filter(pk=article.pk).update(known_error_of=problem)
        article.known_error_of = problem
    else:
        article, _diff = services.update_article(
            article, actor=actor, channel=channel, system=True,
            changes=content(problem, article.audience, article.language),
        )
    if article.working_version_id or article.state != ArticleState.PUBLISHED:
        if article.working_version_id is None:
            # Retired with nothing new to say: publish the last text again.
            article, _diff = services.update_article(article, actor=actor, channel=channel, system=True,
                                                     changes={"body": article.body + "\n"})
        article = services.publish(article, actor=actor, channel=channel, system=True)
    return article


def on_problem_event(event):
    """core.events subscriber (in the problem's transaction) for problem.created / problem.updated."""
    problem = event.record
    if problem is None:
        return
    if event.verb == "updated":
        changed = set((event.data or {}).get("diff", {}))
        if not changed & WATCHED:
            return
        if not problem.known_error and "known_error" not in changed and "state" not in changed:
            return
    elif not problem.known_error:
        return
    sync(problem, actor=event.actor, channel=event.channel or "system")
