"""Desk pages of the knowledge base: the list, an article, the editor with its live preview,
versions with a diff, review actions, the related-articles panel of a ticket and the report.

Views stay thin: every write is a knowledge.services call; what a list or panel shows comes
from knowledge.selectors (search and suggestions) and knowledge.reports.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.choices import Channel
from core.exceptions import DomainError, StaleVersion
from core.web import DeskRequiredMixin, form_error, int_param, parse_id
from knowledge import page_helpers, rendering, selectors, services
from knowledge.forms import ArticleFilterForm, ArticleForm, ReviewForm
from knowledge.models import Article

WEB = Channel.WEB

PAGE_SIZE = 25


def article_or_404(user, pk, *related):
    return get_object_or_404(Article.objects.visible_to(user).select_related("category", "owner", *related), pk=pk)


class ArticleListView(DeskRequiredMixin, View):
    """Every article in every state, filtered; a search ranks its matches (title first)."""

    def get(self, request):
        form = ArticleFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if form.is_bound and form.errors:
            messages.warning(request, _("Some filters could not be applied and were ignored."))
        query = (data.get("q") or "").strip()
        articles = selectors.articles_for(
            request.user, state=data.get("state"), category=getattr(data.get("category"), "pk", None),
            audience=data.get("audience"), language=data.get("language"))
        if data.get("needs_review"):
            articles = articles.filter(needs_review=True)
        ranked = selectors.rank_by(articles, query) if query else None
        articles = ranked if ranked is not None else articles.order_by("-updated_at", "-id")
        articles = articles.select_related("category").defer("body", "body_html", "search_vector")
        page = Paginator(articles, PAGE_SIZE).get_page(int_param(request, "page", 1))
        params = request.GET.copy()
        params.pop("page", None)
        template = "knowledge/_rows.html" if request.htmx and not request.htmx.boosted else "knowledge/list.html"
        return render(request, template, {"form": form, "page": page, "query": params.urlencode(),
                                          "search": query})


class ArticleDetailView(DeskRequiredMixin, View):
    def get(self, request, pk):
        article = get_object_or_404(
            Article.objects.visible_to(request.user)
            .select_related("category", "owner", "published_version", "working_version__author",
                            "working_version__reviewed_by")
            .prefetch_related("services", "configuration_items", "known_errors", "organisations"), pk=pk)
        return render(request, "knowledge/detail.html", page_helpers.detail_context(request, article))


class ArticleEditorMixin(DeskRequiredMixin):
    template_name = "knowledge/form.html"

    def render_form(self, form, article=None, status=200):
        if article is not None:
            # The article's text is in its own language, whatever the page's (screen readers, spelling).
            for name in ("title", "summary", "body"):
                form.fields[name].widget.attrs["lang"] = article.language
        context = {"form": form, "article": article}
        if article is None:
            source = page_helpers.source_ticket(self.request)
            if source is not None:
                context.update(source=source, source_ct=ContentType.objects.get_for_model(source).pk)
        return render(self.request, self.template_name, context, status=status)


class ArticleCreateView(ArticleEditorMixin, View):
    def get(self, request):
        initial = page_helpers.initial_from_ticket(request) or {"language": page_helpers.page_language(request)}
        return self.render_form(ArticleForm(initial=initial))

    def post(self, request):
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                article = services.create_article(actor=request.user, channel=WEB,
                                                  **page_helpers.article_fields(form, request))
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Draft %(number)s saved.") % {"number": article.number})
                return redirect(article.get_absolute_url())
        return self.render_form(form, status=400)


class ArticleUpdateView(ArticleEditorMixin, View):
    def get_article(self, pk):
        return get_object_or_404(Article.objects.visible_to(self.request.user).select_related("working_version")
                                 .prefetch_related("services", "configuration_items", "known_errors",
                                                   "organisations"), pk=pk)

    def get(self, request, pk):
        article = self.get_article(pk)
        return self.render_form(ArticleForm(initial=ArticleForm.initial_for(article, article.working_version)),
                                article)

    def post(self, request, pk):
        article = self.get_article(pk)
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                services.update_article(article, actor=request.user, channel=WEB,
                                        expected_version=form.cleaned_data.get("version"),
                                        changes=page_helpers.article_fields(form))
            except StaleVersion as exc:
                # The typed text stays in the form; the message says what happened and what to do.
                form.add_error(None, _("Someone else saved this article while you were editing it (it is now at "
                                       "version %(version)s). Your text is kept below: copy what you need, reload "
                                       "the article and apply your changes again.") % {"version": exc.current_version})
                return self.render_form(form, article, status=409)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Draft of %(number)s saved.") % {"number": article.number})
                return redirect(article.get_absolute_url())
        return self.render_form(form, article, status=400)


class PreviewView(DeskRequiredMixin, View):
    """The editor's live preview: the body as readers will see it, through the same renderer."""

    def post(self, request):
        body = request.POST.get("body", "")
        try:
            html = rendering.render_markdown(body)
        except DomainError as exc:
            return render(request, "knowledge/_preview.html", {"error": exc.message})
        return render(request, "knowledge/_preview.html", {"body_html": html})


class ReviewActionView(DeskRequiredMixin, View):
    """Submit for review, approve, send back with a comment, publish, retire."""

    def post(self, request, pk):
        article = article_or_404(request.user, pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(article.get_absolute_url())
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
        try:
            page_helpers.review(article, action, actor=request.user, comment=comment,
                                expected_version=form.cleaned_data.get("version"))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, page_helpers.REVIEW_DONE[action] % {"number": article.number})
        return redirect(article.get_absolute_url())


class VersionsView(DeskRequiredMixin, View):
    """Every version of an article, and the difference between any two (?a=&b=, version numbers)."""

    def get(self, request, pk):
        article = article_or_404(request.user, pk)
        versions = list(services.versions_of(article))[::-1]
        numbers = [v.number for v in versions]
        newest = numbers[0] if numbers else None
        a = int_param(request, "a", numbers[1] if len(numbers) > 1 else newest)
        b = int_param(request, "b", newest)
        by_number = {v.number: v for v in versions}
        left, right = by_number.get(a), by_number.get(b)
        diff = None
        if left and right:
            diff = [row for row in services.diff(article, a, b, mode="rows")]
            if all(row["kind"] == "equal" for row in diff):
                diff = []
        return render(request, "knowledge/versions.html", {
            "article": article, "versions": versions, "a": a, "b": b, "left": left, "right": right, "diff": diff})


class RelatedArticlesView(DeskRequiredMixin, View):
    """The "Related articles" panel of a ticket page (any ticket type), loaded after the page."""

    def get(self, request, ct, pk):
        ticket = page_helpers.ticket_or_404(request.user, ct, pk)
        return render(request, "knowledge/panels/_related_list.html", {
            "ticket": ticket, "articles": selectors.suggest_for_ticket(ticket),
            "ct": ct, "resolved": page_helpers.is_resolved(ticket),
        })


class RecordUseView(DeskRequiredMixin, View):
    """"Resolved with this article": counts towards the article's use and links the ticket."""

    def post(self, request, pk):
        article = article_or_404(request.user, pk)
        ticket = page_helpers.ticket_or_404(request.user, parse_id(request.POST.get("ct")),
                                            parse_id(request.POST.get("ticket")))
        try:
            page_helpers.usage().record_use(article, ticket, user=request.user)
        except DomainError as exc:
            message = exc.message
        else:
            message = _("Recorded: %(ticket)s was resolved with %(number)s.") % {
                "ticket": ticket.number, "number": article.number}
        if request.htmx:
            return render(request, "knowledge/panels/_used.html", {"message": message})
        messages.info(request, message)
        return redirect(ticket.get_absolute_url())


class ReportView(DeskRequiredMixin, View):
    def get(self, request):
        return render(request, "knowledge/report.html", page_helpers.report_context(request))
