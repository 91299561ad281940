from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation
from cmdb.models import ConfigurationItem
from reports.choices import FileFormat
from reports.models import ServiceReport


class FileSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=FileFormat.choices)
    language = serializers.CharField()
    url = serializers.CharField()


class ServiceReportSerializer(serializers.ModelSerializer):
    """A monthly service report; `files` are rendered on request from the frozen snapshot."""

    files = serializers.SerializerMethodField()

    class Meta:
        model = ServiceReport
        fields = ["id", "kind", "period_start", "period_end", "organisation", "service", "time_zone", "state",
                  "generated_at", "generated_by", "approved_at", "approved_by", "distributed_at",
                  "distributed_by", "distributed_to", "version", "files"]
        read_only_fields = fields

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, report):
        files = []
        request = self.context.get("request")
        for fmt in FileFormat.values:
            path = reverse(f"report-download-{fmt}", args=[report.pk])
            for language, _label in settings.LANGUAGES:
                url = f"{path}?lang={language}"
                files.append({"format": fmt, "language": language,
                              "url": request.build_absolute_uri(url) if request else url})
        return files


class ServiceReportDetailSerializer(ServiceReportSerializer):
    snapshot = serializers.JSONField(read_only=True, help_text=_(
        "The frozen figures (period, volumes, services, sla with targets and breaches, availability, "
        "changes, problems, satisfaction, voc, improvements, trend)."))

    class Meta(ServiceReportSerializer.Meta):
        fields = ServiceReportSerializer.Meta.fields + ["snapshot"]
        read_only_fields = fields


class GenerateSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    service = serializers.PrimaryKeyRelatedField(queryset=ConfigurationItem.objects.business_services(),
                                                 required=False, allow_null=True)
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text=_("YYYY-MM: a month that has ended in the "
                                                                "organisation's time zone."))


class ReportVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)


class DistributeSerializer(ReportVersionSerializer):
    recipients = serializers.ListField(child=serializers.EmailField(), min_length=1, max_length=50)
