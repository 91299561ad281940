"""API v1 of the audit programme, management reviews and certification (`iso/...`). The desk
reads; managers and administrators write, through assurance.services."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assurance import rules, selectors, services
from assurance.api import filtersets
from assurance.api.serializers import (
    AuditProgrammeSerializer, AuditSerializer, CertificationEventSerializer, FindingSerializer,
    ManagementReviewSerializer, NextDueSerializer, ReviewActionSerializer,
)
from assurance.models import Audit, AuditProgramme, CertificationEvent, Finding, ManagementReview, ReviewAction
from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.api.permissions import DeskReadManagerWrite
from core.exceptions import DomainError


class AssuranceViewSet(AnyKeyLookupMixin, ApiActorMixin, viewsets.ModelViewSet):
    permission_classes = [DeskReadManagerWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ["id"]

    def create_record(self, data):
        raise NotImplementedError

    def update_record(self, record, data, version):
        raise NotImplementedError

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = self.create_record(data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = self.update_record(serializer.instance, data, version)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class AuditProgrammeViewSet(AssuranceViewSet):
    """Internal audit programmes, one per three-year cycle, with their clause coverage matrix."""

    serializer_class = AuditProgrammeSerializer
    queryset = AuditProgramme.objects.prefetch_related(
        Prefetch("audits", queryset=Audit.objects.only("id", "programme_id", "scope", "planned_date",
                                                       "performed_date", "state"))).order_by("-start_year")
    ordering_fields = ["start_year", "id"]
    ordering = ["-start_year"]

    def create_record(self, data):
        return services.create_programme(**self.actor_kwargs(), **data)

    def update_record(self, record, data, version):
        return services.update_programme(record, **self.actor_kwargs(), changes=data, expected_version=version)[0]


class AuditViewSet(AssuranceViewSet):
    """Internal audits (AUD-2026-01), detail by id. Moving one is a PATCH of `state`."""

    serializer_class = AuditSerializer
    filterset_class = filtersets.AuditFilterSet
    queryset = Audit.objects.prefetch_related("audited_teams", "findings").order_by("planned_date", "id")
    ordering_fields = ["id", "number", "planned_date", "performed_date", "state"]
    ordering = ["planned_date", "id"]
    search_fields = ["number", "title", "processes"]

    def create_record(self, data):
        state = data.pop("state", None)
        if state not in (None, "planned"):
            raise DomainError(_not_planned(), field="state")
        if "performed_date" in data and data.pop("performed_date") is not None:
            raise DomainError(_performed_later(), field="performed_date")
        return services.create_audit(**self.actor_kwargs(), **data)

    def update_record(self, record, data, version):
        return services.update_audit(record, **self.actor_kwargs(), changes=data, expected_version=version)[0]


def _not_planned():
    from django.utils.translation import gettext as _

    return _("A new audit is planned; move it afterwards.")


def _performed_later():
    from django.utils.translation import gettext as _

    return _("Record the performed date when the audit is under way.")


class FindingViewSet(AssuranceViewSet):
    """Audit findings. Closing one is a PATCH of `state: closed` (with a `closure_note` when its
    corrective action is not closed yet)."""

    serializer_class = FindingSerializer
    filterset_class = filtersets.FindingFilterSet
    queryset = Finding.objects.select_related("audit", "corrective_action").order_by("id")
    ordering_fields = ["id", "created_at", "kind", "state"]

    def create_record(self, data):
        audit = data.pop("audit")
        return services.add_finding(audit, **self.actor_kwargs(), **data)

    def update_record(self, record, data, version):
        data.pop("owner", None)
        data.pop("due_date", None)
        return services.update_finding(record, **self.actor_kwargs(), changes=data, expected_version=version)[0]


class ManagementReviewViewSet(AssuranceViewSet):
    """Management reviews with their frozen pack and their actions."""

    serializer_class = ManagementReviewSerializer
    queryset = ManagementReview.objects.prefetch_related("actions").order_by("-held_on", "-id")
    ordering_fields = ["id", "held_on"]
    ordering = ["-held_on", "-id"]

    def create_record(self, data):
        return services.create_review(**self.actor_kwargs(), **data)

    def update_record(self, record, data, version):
        return services.update_review(record, **self.actor_kwargs(), changes=data, expected_version=version)[0]

    @extend_schema(request=None, responses=ManagementReviewSerializer, description=(
        "Generate the review pack from live data now and freeze it into the review (replacing an earlier one)."))
    @action(detail=True, methods=["post"], url_path="generate-pack")
    def generate_pack(self, request, pk=None):
        review = services.generate_pack(self.get_object(), **self.actor_kwargs())
        return Response(self.get_serializer(self.get_queryset().get(pk=review.pk)).data)


class ReviewActionViewSet(AssuranceViewSet):
    """Actions decided by management reviews, tracked to done."""

    serializer_class = ReviewActionSerializer
    filterset_class = filtersets.ReviewActionFilterSet
    queryset = ReviewAction.objects.order_by("due_date", "id")
    ordering_fields = ["id", "due_date", "state"]
    ordering = ["due_date", "id"]

    def create_record(self, data):
        review = data.pop("review")
        data.pop("state", None)
        return services.add_action(review, **self.actor_kwargs(), **data)

    def update_record(self, record, data, version):
        return services.update_action(record, **self.actor_kwargs(), changes=data, expected_version=version)[0]


class CertificationEventViewSet(AssuranceViewSet):
    """The certification life cycle's dated events; `next-due/` says which audit comes next, when."""

    serializer_class = CertificationEventSerializer
    filterset_class = filtersets.CertificationEventFilterSet
    queryset = CertificationEvent.objects.order_by("date", "id")
    ordering_fields = ["id", "date", "kind"]
    ordering = ["date", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create_record(self, data):
        return services.create_certification_event(**self.actor_kwargs(), **data)

    def update_record(self, record, data, version):
        return services.update_certification_event(record, **self.actor_kwargs(), changes=data,
                                                   expected_version=version)[0]

    def perform_destroy(self, instance):
        services.delete_certification_event(instance, **self.actor_kwargs())

    @extend_schema(responses=NextDueSerializer, filters=False, description=(
        "The next certification step: after a decision, surveillance at +12 and +24 months and "
        "recertification before +36 months; before it, the next step of the initial audit (no date)."))
    @action(detail=False, methods=["get"], url_path="next-due", pagination_class=None, filter_backends=[])
    def next_due(self, request):
        due = selectors.certification_next_due()
        today = timezone.localdate()
        body = {"kind": due.kind if due else None, "date": due.date if due else None,
                "anchor": due.anchor if due else None, "overdue": rules.is_overdue(due, today)}
        return Response(NextDueSerializer(body).data)
