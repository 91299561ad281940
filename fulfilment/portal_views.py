"""Self-service portal of the service catalog: browse and search what one may order, order it (now,
or through the cart), and follow one's requests.

Everyone, desk staff included, sees here only the items they may order and the requests placed
by them or for them; anything else is a 404 (never a 403: the portal does not tell what exists).
"""

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy, ngettext
from django.views import View

from catalog import formschema
from catalog.models import Category, CatalogItem
from catalog.selectors import search_items
from core import pickers
from core import services as core_services
from core.choices import Channel
from core.exceptions import DomainError
from core.forms import MultipleFileField
from core.selectors import timeline
from core.web import bootstrapify, parse_id, text_param
from fulfilment import portal_progress as progress
from fulfilment import services
from fulfilment.cart import Cart, CartFull, close_uploads, delete_staged, staged_uploads
from fulfilment.choices import OPEN_REQUEST_STATES, REQUEST_STATE_BADGES, RequestState
from fulfilment.models import Request, RequestApproval, RequestItem, Task

PORTAL = Channel.PORTAL
POPULAR = 8
SEARCH_LIMIT = 50
PAGE_SIZE = 20


# --- who sees what --------------------------------------------------------------------------------

def catalog_items(user):
    """What the portal shows `user`: the items they may order, on shelves that are open."""
    return CatalogItem.objects.filter(
        pk__in=CatalogItem.objects.orderable_by(user).values("pk"), category__active=True,
    ).filter(Q(category__parent__isnull=True) | Q(category__parent__active=True))


def my_requests(user):
    """The portal's only request queryset: placed by this person or for them (desk staff too)."""
    return Request.objects.filter(Q(requested_by=user) | Q(requested_for=user))


def search_catalog(user, text):
    """Items matching `text` (Korean or English, the shared search) that `user` may order, best first."""
    return search_items(user, text, queryset=catalog_items(user))


# --- people: "request for someone else" -----------------------------------------------------------

def _colleagues(user=None):
    """Whom a person may order for: the person picker's own rule (an end user: themselves and the
    colleagues of their organisation; the desk: anyone active)."""
    return pickers.get("person").options(user)


pickers.register(pickers.PickerKind(name="colleague", options=_colleagues, **pickers.PEOPLE))


class ColleagueInput(pickers.PickerInput):
    """The person picker, its suggestions served by the portal (the core lookup is the desk's)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["url"] = reverse("portal_requests:people")
        return context


class ColleagueLookupView(LoginRequiredMixin, View):
    """Suggestions for "request for someone else": colleagues only, as JSON."""

    def get(self, request):
        kind = pickers.get("colleague")
        found = pickers.suggestions(kind, request.user, text_param(request, "q"))
        return JsonResponse({"results": [
            {"id": obj.pk, "label": kind.label(obj), "detail": str(kind.detail(obj) or "")} for obj in found]})


class OrderForm(forms.Form):
    """What the portal asks beside the item's own form: how many, and for whom."""

    quantity = forms.IntegerField(label=gettext_lazy("Quantity"), min_value=1, initial=1)

    def __init__(self, *args, item, user, with_quantity=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_quantity:
            self.fields["quantity"].max_value = item.max_quantity
            self.fields["quantity"].validators.append(forms.IntegerField(max_value=item.max_quantity).validators[-1])
            self.fields["quantity"].widget.attrs.update({"min": 1, "max": item.max_quantity})
            if item.max_quantity <= 1:
                self.fields["quantity"].widget = forms.HiddenInput()
        else:
            del self.fields["quantity"]
        self.fields["requested_for"] = pickers.PickerField(
            "colleague", user=user, required=False, widget=ColleagueInput("colleague"),
            label=gettext_lazy("Request for someone else"),
            help_text=gettext_lazy("Leave empty to request it for yourself. You can choose a colleague of "
                                   "your organisation; both of you will follow the request."))
        bootstrapify(self)


class CartSubmitForm(OrderForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, item=None, user=user, with_quantity=False, **kwargs)


class PortalCommentForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=gettext_lazy("Attachments"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


# --- the catalog ----------------------------------------------------------------------------------

def _category_counts(user):
    """{category id: number of items the user may order in it}, one query."""
    rows = catalog_items(user).order_by().values("category_id").annotate(n=Count("pk"))
    return {row["category_id"]: row["n"] for row in rows}


def _shelves(categories, counts):
    """Top categories with their open sub-categories; counts include the sub-categories'."""
    children = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    tops = []
    for category in categories:
        if category.parent_id:
            continue
        category.subs = children.get(category.pk, [])
        for sub in category.subs:
            sub.count = counts.get(sub.pk, 0)
        category.count = counts.get(category.pk, 0) + sum(sub.count for sub in category.subs)
        if category.count:
            tops.append(category)
    return tops


class CatalogHomeView(LoginRequiredMixin, View):
    def get(self, request):
        categories = list(Category.objects.active())
        shelves = _shelves(categories, _category_counts(request.user))
        popular = list(catalog_items(request.user).select_related("category")
                       .order_by("-times_ordered", "name", "pk")[:POPULAR])
        return render(request, "fulfilment/portal/catalog_home.html", {"shelves": shelves, "popular": popular})


class CatalogSearchView(LoginRequiredMixin, View):
    def get(self, request):
        text = text_param(request, "q")
        results = []
        if text and "\x00" not in text:
            results = list(search_catalog(request.user, text).select_related("category")[:SEARCH_LIMIT])
        return render(request, "fulfilment/portal/catalog_search.html", {"q": text, "results": results})


class CategoryView(LoginRequiredMixin, View):
    def get(self, request, pk):
        category = get_object_or_404(Category.objects.active().select_related("parent"), pk=pk)
        if category.parent_id and not category.parent.active:
            raise Http404
        subs = list(Category.objects.active().filter(parent=category))
        counts = _category_counts(request.user)
        for sub in subs:
            sub.count = counts.get(sub.pk, 0)
        items = list(catalog_items(request.user).filter(category=category).select_related("category")
                     .order_by("name", "pk"))
        if not items and not any(sub.count for sub in subs):
            raise Http404  # a shelf with nothing this person may order is not theirs to see
        return render(request, "fulfilment/portal/category.html", {
            "category": category, "subs": [sub for sub in subs if sub.count], "items": items})


def delivery_words(hours):
    if not hours:
        return _("As soon as it is approved")
    if hours < 8:
        return ngettext("About %(count)s working hour", "About %(count)s working hours", hours) % {"count": hours}
    days = -(-hours // 8)
    return ngettext("About %(count)s working day", "About %(count)s working days", days) % {"count": days}


def jsonable(value):
    """A cleaned form value as the answers' JSON holds it (a record by its id, a date in ISO form)."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (list, tuple, set, QuerySet)):
        return [jsonable(v) for v in value]
    return value


def answers_and_files(form):
    """The valid form's answers as JSON values (a file answer is its name) and its uploaded files."""
    if hasattr(form, "answers") and hasattr(form, "uploads"):
        return dict(form.answers), dict(form.uploads)
    answers, files = {}, {}
    for name, value in form.cleaned_data.items():
        if isinstance(value, UploadedFile):
            files[name] = value
            answers[name] = value.name
        elif value not in (None, "", []):
            answers[name] = jsonable(value)
    return answers, files


def apply_refusal(exc, *forms_in_order):
    """Put AnswersInvalid's or a DomainError's messages on the field they name (else the form)."""
    main = forms_in_order[0]
    errors = exc.errors if isinstance(exc, formschema.AnswersInvalid) else {exc.field: [exc.message]}
    for name, messages_ in errors.items():
        name = str(name).split(".")[-1] if name else name
        target = next((f for f in forms_in_order if name and name in f.fields), None)
        for message in messages_ if isinstance(messages_, (list, tuple)) else [messages_]:
            (target or main).add_error(name if target else None, str(message))


def item_form(item, user, data=None, files=None):
    """The item's request form (catalog.formschema) with the portal's Bootstrap look."""
    form = formschema.build_form(item, data=data, files=files, user=user)
    for field in form.fields.values():
        # Bootstrap's form-check-input pulls the box left, out of .choice-list's label.
        if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            field.widget.attrs.setdefault("class", "catalog-choice")
        # A person question suggests through the portal's lookup (the core one is the desk's).
        if isinstance(field.widget, pickers.PickerInput) and field.widget.kind == "person":
            field.widget = ColleagueInput("person", attrs=field.widget.attrs)
    return bootstrapify(form)


class ItemView(LoginRequiredMixin, View):
    def get_item(self, pk):
        return get_object_or_404(
            catalog_items(self.request.user).select_related("category__parent", "service")
            .prefetch_related("approval_stages__group"), pk=pk)

    def get(self, request, pk):
        item = self.get_item(pk)
        cart = Cart(request.session)
        initial = {"requested_for": cart.requested_for_id} if cart.requested_for_id else None
        return self.render(item, item_form(item, request.user),
                           OrderForm(item=item, user=request.user, prefix="order", initial=initial))

    def render(self, item, form, order_form, status=200):
        stages = list(item.approval_stages.all())
        return render(self.request, "fulfilment/portal/item.html", {
            "item": item, "form": form, "order_form": order_form, "stages": stages,
            "approvers": progress.approval_summary(stages), "delivery": delivery_words(item.delivery_time),
            "stage_words": [(stage, progress.approver_words(stage)) for stage in stages],
        }, status=status)

    def post(self, request, pk):
        item = self.get_item(pk)
        form = item_form(item, request.user, data=request.POST, files=request.FILES)
        order_form = OrderForm(request.POST, item=item, user=request.user, prefix="order")
        if not (form.is_valid() & order_form.is_valid()):
            return self.render(item, form, order_form, status=400)
        answers, files = answers_and_files(form)
        quantity = order_form.cleaned_data["quantity"] or 1
        requested_for = order_form.cleaned_data.get("requested_for")
        try:
            if request.POST.get("action") == "cart":
                Cart(request.session).add(item, answers=answers, quantity=quantity, files=files,
                                          requested_for=requested_for)
                messages.success(request, _("%(item)s is in your cart.") % {"item": item.display_name})
                return redirect("portal_requests:cart")
            order = services.submit_request(
                request.user, lines=[services.OrderLine(item, answers=answers, quantity=quantity, files=files)],
                requested_for=requested_for or request.user, channel=PORTAL)
        except CartFull:
            form.add_error(None, _("Your cart is full. Submit or empty it first."))
        except (formschema.AnswersInvalid, DomainError) as exc:
            apply_refusal(exc, form, order_form)
        else:
            messages.success(request, _("Thank you. Your request %(number)s has been submitted.")
                             % {"number": order.number})
            return redirect("portal_requests:request_detail", pk=order.pk)
        return self.render(item, form, order_form, status=400)


# --- the cart -------------------------------------------------------------------------------------

def _names(pairs):
    """Labels of the people and CIs the answers name: one query per kind, only when some are named."""
    from accounts.models import User
    from cmdb.models import ConfigurationItem

    names = {}
    users = {i for kind, i in pairs if kind == "user"}
    cis = {i for kind, i in pairs if kind == "ci"}
    if users:
        names.update({("user", u.pk): pickers.person_label(u) for u in User.objects.filter(pk__in=users)})
    if cis:
        names.update({("ci", c.pk): c.name for c in ConfigurationItem.objects.filter(pk__in=cis)})
    return names


def answer_rows_for(pairs_of_item_and_answers):
    wanted = set()
    for item, answers in pairs_of_item_and_answers:
        for kind, ids in progress.referenced_ids(item, answers).items():
            wanted.update((kind, i) for i in ids)
    names = _names(wanted)
    return [progress.answer_rows(item, answers, names=names) for item, answers in pairs_of_item_and_answers]


class CartView(LoginRequiredMixin, View):
    def lines(self, cart):
        items = catalog_items(self.request.user).select_related("category").in_bulk(cart.item_ids())
        rows = []
        for line in cart.lines:
            rows.append({"line": line, "item": items.get(line["item"]), "key": line["key"],
                         "quantity": line["quantity"], "files": [f["name"] for f in (line.get("files") or {}).values()]})
        known = [row for row in rows if row["item"] is not None]
        for row, answers in zip(known, answer_rows_for([(r["item"], r["line"]["answers"]) for r in known])):
            row["answers"] = answers
        return rows

    def get(self, request):
        cart = Cart(request.session)
        initial = {"requested_for": cart.requested_for_id} if cart.requested_for_id else None
        return self.render(cart, CartSubmitForm(user=request.user, prefix="order", initial=initial))

    def render(self, cart, form, status=200):
        rows = self.lines(cart)
        return render(self.request, "fulfilment/portal/cart.html", {
            "rows": rows, "form": form, "unavailable": any(row["item"] is None for row in rows)}, status=status)

    def post(self, request):
        cart = Cart(request.session)
        action = request.POST.get("action")
        if action == "remove":
            if cart.remove(request.POST.get("key", "")):
                messages.success(request, _("The item was removed from your cart."))
            return redirect("portal_requests:cart")
        if action == "empty":
            cart.clear()
            messages.success(request, _("Your cart is empty now."))
            return redirect("portal_requests:cart")
        form = CartSubmitForm(request.POST, user=request.user, prefix="order")
        if action != "submit" or not form.is_valid():
            return self.render(cart, form, status=400)
        if not len(cart):
            form.add_error(None, _("Your cart is empty."))
            return self.render(cart, form, status=400)
        return self.submit(cart, form)

    @staticmethod
    def refuse_line(form, lines, index, texts):
        """Say which line of the cart broke a rule: "Laptop: Model: this answer is required." """
        name = ""
        if index is None and len(lines) == 1:
            index = 0
        if index is not None and 0 <= index < len(lines):
            name = lines[index].catalog_item.display_name
        for text in texts:
            form.add_error(None, _("%(item)s: %(problem)s") % {"item": name, "problem": text} if name else text)

    def submit(self, cart, form):
        items = catalog_items(self.request.user).in_bulk(cart.item_ids())
        missing = [line for line in cart.lines if line["item"] not in items]
        if missing:
            form.add_error(None, _("Some items are no longer available to you. Remove them, then submit again."))
            return self.render(cart, form, status=400)
        lines, uploads = [], []
        try:
            for line in cart.lines:
                files = staged_uploads(line)
                uploads.append(files)
                lines.append(services.OrderLine(items[line["item"]], answers=line["answers"],
                                                quantity=line["quantity"], files=files))
            requested_for = form.cleaned_data.get("requested_for") or self.request.user
            order = services.submit_request(self.request.user, lines=lines, requested_for=requested_for,
                                            channel=PORTAL)
        except services.NotOrderable as exc:
            self.refuse_line(form, lines, exc.index, [_("This item is no longer available to you.")])
            return self.render(cart, form, status=400)
        except (formschema.AnswersInvalid, DomainError) as exc:
            if getattr(exc, "field", None) == "requested_for":
                form.add_error("requested_for", exc.message)
                return self.render(cart, form, status=400)
            errors = exc.errors if isinstance(exc, formschema.AnswersInvalid) else {exc.field: [exc.message]}
            texts = [str(t) for texts in errors.values() for t in (texts if isinstance(texts, (list, tuple)) else [texts])]
            self.refuse_line(form, lines, getattr(exc, "index", None), texts)
            return self.render(cart, form, status=400)
        finally:
            for files in uploads:
                close_uploads(files)
        delete_staged(cart.lines)
        cart.clear(delete_files=False)
        messages.success(self.request, _("Thank you. Your request %(number)s has been submitted.")
                         % {"number": order.number})
        return redirect("portal_requests:request_detail", pk=order.pk)


# --- my requests ----------------------------------------------------------------------------------

class RequestListView(LoginRequiredMixin, View):
    def get(self, request):
        show = "all" if request.GET.get("show") == "all" else "open"
        queryset = my_requests(request.user).select_related("requested_by", "requested_for")
        if show == "open":
            queryset = queryset.filter(state__in=OPEN_REQUEST_STATES | {RequestState.FULFILLED})
        queryset = queryset.prefetch_related(
            Prefetch("items", queryset=RequestItem.objects.select_related("catalog_item")))
        page = Paginator(queryset.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "fulfilment/portal/request_list.html",
                      {"page": page, "show": show, "query": f"show={show}"})


def _name_plan_groups(items):
    """The approval plans name their groups by id: add the names for the words (one query, only
    when a plan has a group stage). The rows are not saved."""
    from accounts.models import Team

    ids = {s.get("group") for i in items for s in i.approval_plan or [] if isinstance(s, dict) and s.get("group")}
    if not ids:
        return
    names = dict(Team.objects.filter(pk__in=ids).values_list("pk", "name"))
    for item in items:
        for stage in item.approval_plan or []:
            if isinstance(stage, dict) and stage.get("group"):
                stage["group_name"] = names.get(stage["group"], "")


class RequestDetailView(LoginRequiredMixin, View):
    def get_request(self, pk):
        pk = parse_id(pk)
        if pk is None:
            raise Http404
        return get_object_or_404(my_requests(self.request.user).select_related("requested_by", "requested_for"),
                                 pk=pk)

    def get(self, request, pk):
        return self.render(self.get_request(pk))

    def render(self, order, *, comment_form=None, status=200):
        items = list(order.items.select_related("catalog_item").prefetch_related(
            Prefetch("approvals", queryset=RequestApproval.objects.select_related("approver")),
            "catalog_item__task_templates"))
        tasks = {}
        for task in Task.objects.filter(request=order).select_related("template").order_by("stage", "id"):
            tasks.setdefault(task.request_item_id, []).append(task)
        rows = answer_rows_for([(i.catalog_item, i.answers) for i in items])
        _name_plan_groups(items)
        progresses = []
        for item, answers in zip(items, rows):
            view = progress.item_progress(
                item, approvals=list(item.approvals.all()), tasks=tasks.get(item.pk, []),
                template_stages={t.stage for t in item.catalog_item.task_templates.all()})
            view.answers = answers
            view.badge = REQUEST_STATE_BADGES.get(item.state, "secondary")
            progresses.append(view)
        events = timeline(order, include_internal=False)
        needs_approval = any(item.approval_plan for item in items)
        return render(self.request, "fulfilment/portal/request_detail.html", {
            "order": order, "progresses": progresses, "timeline": events,
            # The items in the reader's language (the stored title is in the submitter's).
            "heading": ", ".join(p.item.catalog_item.display_name + (f" × {p.item.quantity}" if p.item.quantity > 1
                                                                       else "") for p in progresses) or order.title,
            "attachments": [e.obj for e in events if e.kind == "attachment"],
            "steps": progress.request_steps(order, needs_approval=needs_approval),
            "comment_form": comment_form or PortalCommentForm(),
            "can_cancel": order.state in OPEN_REQUEST_STATES,
            "is_closed": order.state in (RequestState.CLOSED, RequestState.REJECTED, RequestState.CANCELLED),
        }, status=status)

    def post(self, request, pk):
        order = self.get_request(pk)
        action = request.POST.get("action", "comment")
        try:
            if action == "cancel":
                services.cancel_request(request.user, order, reason=text_param(request, "reason", max_length=2000),
                                        channel=PORTAL)
                messages.success(request, _("Your request has been cancelled."))
            else:
                form = PortalCommentForm(request.POST, request.FILES)
                if not form.is_valid():
                    return self.render(order, comment_form=form, status=400)
                core_services.add_comment(order, actor=request.user, channel=PORTAL,
                                          body=form.cleaned_data["body"], files=form.cleaned_data["files"])
        except DomainError as exc:
            if action == "cancel":
                messages.error(request, exc.message)
                order.refresh_from_db()
                return self.render(order, status=400)
            form.add_error("body" if exc.field in (None, "body") else None, exc.message)
            return self.render(order, comment_form=form, status=400)
        return redirect("portal_requests:request_detail", pk=order.pk)
