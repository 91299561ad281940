from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import VisibleRelationsSerializer

from accounts.models import Team, User
from cmdb.models import ConfigurationItem
from core.api.fields import VisiblePrimaryKeyRelatedField
from documents.models import Document
from sla.models import BusinessCalendar
from suppliers import selectors, services
from suppliers.models import Contract, Dispute, Supplier

VERSION_HELP = _("Send the version you read; a stale one answers 409.")


class SupplierContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    role = serializers.CharField(max_length=120, required=False, allow_blank=True)


class SupplierSerializer(VisibleRelationsSerializer):
    """A supplier (or an internal group bound by an OLA). `team` is the assignment group that
    stands for it on tickets; `contacts` replaces the list when sent."""

    contacts = SupplierContactSerializer(many=True, required=False)
    team = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta:
        model = Supplier
        fields = ["id", "name", "business_number", "internal", "team", "website", "notes", "active", "contacts",
                  "created_at", "updated_at", "version"]
        read_only_fields = ["created_at", "updated_at"]


class ContractTargetSerializer(serializers.Serializer):
    """Targets of one priority, in business minutes of the contract's calendar."""

    priority = serializers.IntegerField(min_value=1, max_value=5)
    response_minutes = serializers.IntegerField(min_value=1, max_value=10_000_000, allow_null=True, required=False)
    resolution_minutes = serializers.IntegerField(min_value=1, max_value=10_000_000, allow_null=True,
                                                  required=False)


class AlignmentWarningSerializer(serializers.Serializer):
    sla = serializers.IntegerField(help_text=_("The SLA definition the contract supports."))
    sla_name = serializers.CharField()
    priority = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["response", "resolution"])
    services = serializers.ListField(child=serializers.IntegerField(), allow_null=True,
                                     help_text=_("Services both cover; null when both cover every service."))
    target_minutes = serializers.IntegerField(help_text=_("The contract's target (business minutes)."))
    sla_minutes = serializers.IntegerField(help_text=_("The SLA's target (business minutes)."))
    basis = serializers.ChoiceField(choices=["business", "wall_clock"], help_text=_(
        "business: same calendar, business minutes compared; wall_clock: different calendars, compared as "
        "average wall-clock minutes (compared_minutes)."))
    compared_minutes = serializers.ListField(child=serializers.IntegerField())
    message = serializers.CharField()


class ContractSerializer(VisibleRelationsSerializer):
    """A contract with a supplier: SLA, OLA (internal group) or UC (external supplier).
    `targets` are written into the agreement the SLA engine runs (`definition`);
    `alignment_warnings` lists the targets looser than an SLA the contract supports."""

    supplier = VisiblePrimaryKeyRelatedField(queryset=Supplier.objects.all())
    services = VisiblePrimaryKeyRelatedField(
        queryset=ConfigurationItem.objects.all(), many=True, required=False)
    documents = VisiblePrimaryKeyRelatedField(queryset=Document.objects.all(), many=True, required=False)
    responsible = VisiblePrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True,
                                                     required=False)
    calendar = VisiblePrimaryKeyRelatedField(queryset=BusinessCalendar.objects.all(), allow_null=True,
                                                  required=False)
    targets = ContractTargetSerializer(many=True, required=False)
    alignment_warnings = serializers.SerializerMethodField()
    open_disputes = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField()
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta:
        model = Contract
        fields = ["id", "supplier", "kind", "title", "reference", "scope", "services", "start", "end", "value",
                  "responsible", "review_date", "documents", "calendar", "targets", "definition",
                  "alignment_warnings", "open_disputes", "days_left", "created_at", "updated_at", "version"]
        read_only_fields = ["definition", "created_at", "updated_at"]

    def to_representation(self, contract):
        data = super().to_representation(contract)
        data["targets"] = services.contract_targets(contract)
        return data

    @extend_schema_field(AlignmentWarningSerializer(many=True))
    def get_alignment_warnings(self, contract):
        warnings = self.context.get("warnings")
        if warnings is None:
            warnings = selectors.alignment_warnings([contract])
        return warnings.get(contract.pk, [])

    def get_open_disputes(self, contract) -> int:
        value = getattr(contract, "open_disputes", None)
        return value if value is not None else contract.disputes.filter(state="open").count()

    def get_days_left(self, contract) -> int:
        return contract.days_left

    def validate(self, attrs):
        # The period as a whole (also when a PATCH sends only one end of it): the field at fault is named.
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end": [_("The contract cannot end before it starts.")]})
        return attrs


class DisputeSerializer(VisibleRelationsSerializer):
    """An entry of the dispute log. Resolving (`state` resolved) needs `resolution`."""

    contract = VisiblePrimaryKeyRelatedField(queryset=Contract.objects.all())
    supplier = serializers.IntegerField(source="contract.supplier_id", read_only=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta:
        model = Dispute
        fields = ["id", "contract", "supplier", "raised_on", "subject", "amount", "state", "resolution",
                  "resolved_on", "created_at", "updated_at", "version"]
        read_only_fields = ["resolved_on", "created_at", "updated_at"]


class ScorecardSerializer(serializers.Serializer):
    """A supplier's quarter, from the tickets assigned to its group and its disputes."""

    supplier = serializers.IntegerField()
    quarter = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(help_text=_("Exclusive."))
    tickets = serializers.IntegerField()
    met = serializers.IntegerField(help_text=_("SLA clocks met on those tickets."))
    breaches = serializers.IntegerField()
    met_percent = serializers.FloatField(allow_null=True)
    mean_restore_minutes = serializers.IntegerField(allow_null=True)
    disputes = serializers.IntegerField(help_text=_("Disputes raised in the quarter."))
    disputes_open = serializers.IntegerField()
    score = serializers.IntegerField(allow_null=True)
    grade = serializers.CharField()


class QuarterQuerySerializer(serializers.Serializer):
    quarter = serializers.CharField(required=False, help_text=_("e.g. 2026Q3; the current quarter when left out."))

    def validate_quarter(self, value):
        from suppliers import scoring

        try:
            scoring.quarter_bounds(value)
        except ValueError:
            raise serializers.ValidationError(_("Write the quarter as YYYYQn, e.g. 2026Q3."))
        return value.strip().upper()
