"""The knowledge base in the self-service portal: home, search, an article, feedback, and the
deflection suggestions beside the new-ticket form ("This solved it" ends the attempt).

End users see only published articles their audience allows (404 otherwise, never a draft);
desk staff browsing the portal see what end users of the public audience see, plus internal ones.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.web import int_param, parse_id, text_param
from knowledge import page_helpers, selectors
from knowledge.forms import FeedbackForm
from knowledge.models import Article, KnowledgeCategory

SUGGESTIONS = 5
SEARCH_LIMIT = 30


def published_for(user):
    return Article.objects.visible_to(user).filter(state="published")


class HomeView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "knowledge/portal/home.html", {
            "categories": KnowledgeCategory.objects.filter(active=True),
            "popular": selectors.popular(request.user, limit=8),
        })


class SearchView(LoginRequiredMixin, View):
    """Search (the best SEARCH_LIMIT matches, title matches first) or browse a category (paged).
    A search that finds nothing offers articles matching some of the words, or popular ones."""

    def get(self, request):
        query = text_param(request, "q")
        filters = {"category": int_param(request, "category"), "service": int_param(request, "service")}
        result = page = None
        if query:
            result = selectors.search_articles(request.user, query, limit=SEARCH_LIMIT, **filters)
        else:
            articles = (selectors.articles_for(request.user, **filters).filter(state="published")
                        .select_related("category").defer("body", "body_html", "search_vector")
                        .order_by("-view_count", "-id"))
            page = Paginator(articles, 20).get_page(int_param(request, "page", 1))
        params = request.GET.copy()
        params.pop("page", None)
        return render(request, "knowledge/portal/search.html", {
            "q": query, "result": result, "page": page, "query": params.urlencode(),
            "category": filters["category"], "categories": KnowledgeCategory.objects.filter(active=True),
        })


class ArticleView(LoginRequiredMixin, View):
    def get_article(self, pk):
        return get_object_or_404(published_for(self.request.user).select_related("category"), pk=pk)

    def get(self, request, pk):
        article = self.get_article(pk)
        page_helpers.usage().record_view(article)
        return render(request, "knowledge/portal/article.html", {
            "article": article, "feedback_form": FeedbackForm(),
            "thanked": request.GET.get("thanks") == "1",
        })


class FeedbackView(ArticleView):
    http_method_names = ["post"]

    def post(self, request, pk):
        article = self.get_article(pk)
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            return render(request, "knowledge/portal/article.html",
                          {"article": article, "feedback_form": form}, status=400)
        try:
            page_helpers.usage().give_feedback(article, user=request.user, helpful=form.cleaned_data["helpful"],
                                               comment=form.cleaned_data["comment"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            return render(request, "knowledge/portal/article.html",
                          {"article": article, "feedback_form": form}, status=400)
        messages.success(request, _("Thank you for your feedback."))
        return redirect(reverse("portal_kb:article", args=[article.pk]) + "?thanks=1#feedback")


class SuggestView(LoginRequiredMixin, View):
    """Articles matching what the user has typed so far into a new ticket (htmx, debounced).

    The hidden list of ids shown so far travels with each request and comes back extended,
    so a ticket filed anyway records every article that was offered."""

    def get(self, request):
        text = " ".join(filter(None, [text_param(request, "title"), text_param(request, "description",
                                                                                   max_length=1000)]))
        articles = selectors.suggest_for_text(request.user, text, limit=SUGGESTIONS) if text.strip() else []
        shown = page_helpers.shown_ids(request.GET) | {a.pk for a in articles}
        return render(request, "knowledge/portal/_suggestions.html", {
            "articles": articles, "shown": sorted(shown), "typed": bool(text.strip())})


class SolvedView(LoginRequiredMixin, View):
    """"This solved it": the attempt ends without a ticket and counts as a deflection."""

    http_method_names = ["post"]

    def post(self, request, pk):
        article = get_object_or_404(published_for(request.user), pk=pk)
        page_helpers.usage().record_deflection(article, user=request.user)
        return redirect(reverse("portal_kb:thanks") + f"?article={article.pk}")


class ThanksView(LoginRequiredMixin, View):
    def get(self, request):
        pk = parse_id(request.GET.get("article"))
        article = published_for(request.user).filter(pk=pk).first() if pk else None
        return render(request, "knowledge/portal/thanks.html", {"article": article})
