from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import VisibleRelationsSerializer

from cmdb.models import ConfigurationItem
from continuity.models import ContinuityPlan, ContinuityTest, Invocation
from documents.models import Document
from incidents.models import Incident


class PlanContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PlanSerializer(VisibleRelationsSerializer):
    document = VisiblePrimaryKeyRelatedField(queryset=Document.objects.filter(kind__in=("bcp", "drp")),
                                                  help_text=_("A document of kind bcp or drp."))
    document_number = serializers.CharField(source="document.number", read_only=True)
    title = serializers.CharField(source="document.title", read_only=True)
    kind = serializers.CharField(source="document.kind", read_only=True)
    version = serializers.IntegerField(source="document.current_version", read_only=True,
                                       help_text=_("The document's approved version in force; 0 while the document is a draft "
                                                 "not yet approved."))
    services = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.all(), many=True, required=False)
    contacts = PlanContactSerializer(many=True, required=False)
    steps = serializers.ListField(child=serializers.CharField(max_length=2000), required=False)
    last_test = serializers.DateField(read_only=True, allow_null=True)
    next_due = serializers.DateField(read_only=True, allow_null=True)
    test_overdue = serializers.BooleanField(read_only=True, help_text=_("The last test is older than the interval."))
    overdue = serializers.BooleanField(read_only=True, help_text=_("Test overdue, or a re-test required and not yet passed."))

    class Meta:
        model = ContinuityPlan
        fields = ["id", "document", "document_number", "title", "kind", "version", "services", "invocation_criteria",
                  "rto_minutes", "rpo_minutes", "contacts", "steps", "test_interval_days", "retest_required",
                  "retest_reason", "retest_since", "retest_change", "last_test", "next_due", "test_overdue", "overdue",
                  "created_at", "updated_at"]
        read_only_fields = ["retest_required", "retest_reason", "retest_since", "retest_change", "created_at",
                            "updated_at"]


class TestSerializer(VisibleRelationsSerializer):
    plan = VisiblePrimaryKeyRelatedField(queryset=ContinuityPlan.objects.all())

    class Meta:
        model = ContinuityTest
        fields = ["id", "plan", "date", "kind", "result", "findings", "rto_achieved_minutes", "recorded_by",
                  "created_at"]
        read_only_fields = ["recorded_by", "created_at"]


class InvocationSerializer(VisibleRelationsSerializer):
    plan = VisiblePrimaryKeyRelatedField(queryset=ContinuityPlan.objects.all())
    incident = VisiblePrimaryKeyRelatedField(queryset=Incident.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Invocation
        fields = ["id", "plan", "started", "ended", "reason", "incident", "recorded_by", "created_at"]
        read_only_fields = ["recorded_by", "created_at"]


class InvocationUpdateSerializer(InvocationSerializer):
    class Meta(InvocationSerializer.Meta):
        read_only_fields = ["plan", "recorded_by", "created_at"]
