from django.conf import settings
from rest_framework import serializers

from core.api.serializers import VisibleRelationsSerializer

from core import clauses
from iso import readiness, rules
from iso.models import EvidencePack


class ClauseSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Clause id, e.g. \"8.5.1\".")
    title = serializers.CharField(help_text="Title in the request's language (English or Korean).")
    title_en = serializers.CharField()
    title_ko = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    readiness = serializers.ChoiceField(choices=readiness.LIGHTS)
    reasons = serializers.ListField(child=serializers.CharField())


class ClauseCheckSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["document", "records", "kpi", "audit", "nonconformity"])
    passed = serializers.BooleanField()
    text = serializers.CharField()


class ClauseDetailSerializer(ClauseSerializer):
    checks = ClauseCheckSerializer(many=True)


def clause_data(result, *, detail=False):
    clause = clauses.get(result.clause_id)
    data = {"id": clause.id, "title": clause.title, "title_en": clause.title_en, "title_ko": clause.title_ko,
            "parent": clause.parent_id, "readiness": result.light, "reasons": [str(r) for r in result.reasons]}
    if detail:
        data["checks"] = [{"code": code, "passed": passed, "text": str(text)} for code, passed, text in result.checks]
    return data


class EvidencePackSerializer(VisibleRelationsSerializer):
    requested_by = serializers.StringRelatedField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidencePack
        fields = ["id", "state", "progress", "clauses", "period_start", "period_end", "sample_size", "seed",
                  "language", "requested_by", "created_at", "started_at", "finished_at", "size_bytes", "error",
                  "sample", "download_url"]
        read_only_fields = fields

    def get_download_url(self, pack) -> str | None:
        if not pack.downloadable:
            return None
        request = self.context.get("request")
        path = f"/api/v1/iso/evidence-packs/{pack.pk}/download/"
        return request.build_absolute_uri(path) if request else path


class PackRequestSerializer(serializers.Serializer):
    clauses = serializers.ListField(child=serializers.CharField(max_length=10), required=False, allow_empty=True,
                                    max_length=len(clauses.CLAUSES),
                                    help_text="Clause ids (core catalogue, e.g. \"8.5.1\"); empty or absent: all.")
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="Included; not before period_start.")
    sample_size = serializers.IntegerField(min_value=rules.MIN_SAMPLE, max_value=rules.MAX_SAMPLE,
                                           help_text="Records sampled per clause (1–1000).")
    seed = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                 help_text="Same seed, same sample. Absent: a random seed is chosen and returned.")
    language = serializers.ChoiceField(choices=[code for code, _n in settings.LANGUAGES], required=False,
                                       help_text="Language of the index (default: the request's language).")

    def validate_clauses(self, value):
        wrong = clauses.unknown(value)
        if wrong:
            raise serializers.ValidationError(f"Unknown clause: {', '.join(wrong)}.")
        return value

    def validate(self, data):
        if data["period_end"] < data["period_start"]:
            raise serializers.ValidationError({"period_end": "The period ends before it starts."})
        return data
