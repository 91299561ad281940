from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation, User
from changes.models import Change
from cmdb.models import ConfigurationItem
from core.api.fields import VisiblePrimaryKeyRelatedField
from portfolio.models import PortfolioService


class AgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    agreement = serializers.CharField(help_text=_("sla, ola or uc"))


class CatalogItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    active = serializers.BooleanField()


class SupportingCISerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    ci_class = serializers.CharField(help_text=_("slug of the CI class"))
    depth = serializers.IntegerField(help_text=_("hops from the service (1 = directly related)"))


class SupportingSerializer(serializers.Serializer):
    upstream = SupportingCISerializer(many=True, help_text=_("What the service needs."))
    downstream = SupportingCISerializer(many=True, help_text=_("What needs the service."))


class PortfolioServiceSerializer(serializers.ModelSerializer):
    """A business service in the portfolio. `service` is the CMDB business service CI; `slas` are
    the active SLA definitions that apply to it; `catalog_items` the catalog items delivering it.
    Moving `lifecycle` to `retired` needs `change` (400 naming `change` otherwise)."""

    service = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.business_services())
    name = serializers.CharField(source="service.name", read_only=True)
    owner = VisiblePrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True,
                                          required=False)
    customers = VisiblePrimaryKeyRelatedField(queryset=Organisation.objects.all(), many=True, required=False)
    change = VisiblePrimaryKeyRelatedField(queryset=Change.objects.all(), allow_null=True, required=False)
    slas = serializers.SerializerMethodField()
    catalog_items = serializers.SerializerMethodField()
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text=_("Send the version you read; a stale one answers 409."))

    class Meta:
        model = PortfolioService
        fields = ["id", "service", "name", "name_ko", "summary", "summary_ko", "lifecycle", "owner", "customers",
                  "change", "live_since", "retired_at", "slas", "catalog_items", "created_at", "updated_at",
                  "version"]
        read_only_fields = ["retired_at", "created_at", "updated_at"]

    @extend_schema_field(AgreementSerializer(many=True))
    def get_slas(self, entry):
        return [{"id": d.id, "name": d.name, "agreement": d.agreement} for d in getattr(entry, "agreements", [])]

    @extend_schema_field(CatalogItemRefSerializer(many=True))
    def get_catalog_items(self, entry):
        return [{"id": i.id, "name": i.name, "active": i.active} for i in getattr(entry, "items", [])]


class PortfolioServiceDetailSerializer(PortfolioServiceSerializer):
    """A portfolio service with its supporting CIs from the CMDB graph (upstream: what it needs;
    downstream: what needs it)."""

    supporting_cis = serializers.SerializerMethodField()

    class Meta(PortfolioServiceSerializer.Meta):
        fields = PortfolioServiceSerializer.Meta.fields + ["supporting_cis"]

    @extend_schema_field(SupportingSerializer)
    def get_supporting_cis(self, entry):
        from portfolio import selectors

        walked = selectors.supporting_cis(entry)
        return {side: [{"id": ci.pk, "name": ci.name, "ci_class": ci.ci_class.slug, "depth": ci.depth}
                       for ci in cis] for side, cis in walked.items()}
