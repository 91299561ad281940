"""The `iso/` resources of API v1 kept by assurance: audit programmes, audits, findings,
management reviews and their actions, certification events."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import VisibleRelationsSerializer

from accounts.models import Team, User
from assurance import rules
from assurance.choices import ActionState, AuditState, CertificationKind, FindingKind, FindingState
from assurance.models import (
    Audit, AuditProgramme, CertificationEvent, Finding, ManagementReview, ReviewAction,
)

CLAUSE_HELP = _("ISO/IEC 20000-1 clause ids, e.g. \"8.6.1\" (see iso/clauses/); a clause covers its sub-clauses.")


def _clauses(**kwargs):
    return serializers.ListField(child=serializers.CharField(max_length=10), max_length=60, help_text=CLAUSE_HELP,
                                 **kwargs)


def _staff_field(**kwargs):
    return VisiblePrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), **kwargs)


class VersionedSerializer(VisibleRelationsSerializer):
    """`version` is sent back on updates (a stale one answers 409); CREATE_ONLY fields are read-only
    once the record exists."""

    CREATE_ONLY = ()
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "Send the version you read on updates; a stale one answers 409."))

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, (list, tuple)) \
                and not hasattr(self.instance, "model"):
            for name in self.CREATE_ONLY:
                fields[name].read_only = True
        return fields


class CoverageRowSerializer(serializers.Serializer):
    clause = serializers.CharField()
    years = serializers.DictField(child=serializers.ChoiceField(choices=["audited", "planned", ""]),
                                  help_text=_("Per year of the cycle: audited, planned or empty."))


class CoverageSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    rows = CoverageRowSerializer(many=True)
    uncovered = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Clauses neither planned nor audited in the cycle: the programme's warning."))


def coverage_of(programme):
    audits = [rules.AuditFacts(tuple(a.scope), a.planned_date.year,
                               a.performed_date.year if a.performed_date else None,
                               a.state in (AuditState.REPORTED, AuditState.CLOSED))
              for a in programme.audits.all()]
    result = rules.coverage(programme.start_year, audits)
    return {"years": list(result.years),
            "rows": [{"clause": clause, "years": {str(y): mark for y, mark in zip(result.years, marks)}}
                     for clause, marks in result.rows],
            "uncovered": list(result.uncovered)}


class AuditProgrammeSerializer(VersionedSerializer):
    CREATE_ONLY = ("start_year",)
    start_year = serializers.IntegerField(min_value=2000, max_value=2999)
    end_year = serializers.IntegerField(read_only=True)
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = AuditProgramme
        fields = ["id", "name", "start_year", "end_year", "description", "coverage", "created_at", "updated_at",
                  "version"]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(CoverageSerializer)
    def get_coverage(self, programme):
        return coverage_of(programme)


class FindingBriefSerializer(VisibleRelationsSerializer):
    number = serializers.CharField(read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "number", "kind", "state", "clauses", "corrective_action"]
        read_only_fields = fields


class AuditSerializer(VersionedSerializer):
    """An internal audit. `state` moves planned → in_progress → reported (needs performed_date) →
    closed (needs every finding closed). `independence_conflict` is derived: the lead auditor
    belongs to an audited team."""

    scope = _clauses()
    lead_auditor = _staff_field()
    audited_teams = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), many=True, required=False)
    auditor_team = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    state = serializers.ChoiceField(choices=AuditState.choices, required=False)
    findings = FindingBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = ["id", "number", "programme", "title", "scope", "processes", "audited_teams", "planned_date",
                  "performed_date", "lead_auditor", "auditor_team", "independence_conflict", "independence_note",
                  "state", "summary", "findings", "created_at", "updated_at", "version"]
        read_only_fields = ["number", "programme", "independence_conflict", "created_at", "updated_at"]


class ImprovementRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    state = serializers.CharField()


class FindingSerializer(VersionedSerializer):
    """A finding of an audit. A nonconformity (major_nc, minor_nc) raises its corrective action in
    the improvement register; `state: closed` needs that action closed, or a `closure_note`."""

    CREATE_ONLY = ("audit", "kind")
    number = serializers.CharField(read_only=True)
    audit = VisiblePrimaryKeyRelatedField(queryset=Audit.objects.all())
    kind = serializers.ChoiceField(choices=FindingKind.choices)
    clauses = _clauses()
    evidence_records = serializers.ListField(child=serializers.CharField(max_length=40), max_length=100,
                                             required=False, help_text=_(
                                                 "Numbers of the records sampled (INC0001234, CHG0000042...)."))
    state = serializers.ChoiceField(choices=FindingState.choices, required=False)
    corrective_action = serializers.SerializerMethodField()
    owner = _staff_field(required=False, allow_null=True, write_only=True, help_text=_(
        "Owner of the corrective action raised for a nonconformity (on creation)."))
    due_date = serializers.DateField(required=False, allow_null=True, write_only=True, help_text=_(
        "Due date of the corrective action raised for a nonconformity (on creation)."))

    class Meta:
        model = Finding
        fields = ["id", "number", "audit", "sequence", "kind", "clauses", "description", "evidence",
                  "evidence_records", "state", "corrective_action", "closure_note", "closed_at", "owner",
                  "due_date", "created_at", "updated_at", "version"]
        read_only_fields = ["sequence", "closed_at", "created_at", "updated_at"]

    @extend_schema_field(ImprovementRefSerializer(allow_null=True))
    def get_corrective_action(self, finding):
        item = finding.corrective_action
        return None if item is None else {"id": item.pk, "number": item.number, "state": item.state}


class RiskSerializer(serializers.Serializer):
    risk = serializers.CharField(max_length=300)
    rating = serializers.CharField(max_length=40, required=False, allow_blank=True)
    treatment = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReviewActionSerializer(VersionedSerializer):
    """A decision of a management review, tracked: open → done or cancelled; `overdue` when open
    past its due date."""

    CREATE_ONLY = ("review",)
    review = VisiblePrimaryKeyRelatedField(queryset=ManagementReview.objects.all())
    owner = _staff_field(required=False, allow_null=True)
    state = serializers.ChoiceField(choices=ActionState.choices, required=False)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAction
        fields = ["id", "review", "title", "owner", "due_date", "state", "note", "overdue", "closed_at",
                  "created_at", "updated_at", "version"]
        read_only_fields = ["closed_at", "created_at", "updated_at"]

    def get_overdue(self, item) -> bool:
        return item.is_overdue(self.context.get("today") or timezone.localdate())


class ManagementReviewSerializer(VersionedSerializer):
    """A management review. `pack` is the frozen snapshot of its inputs (POST
    iso/reviews/{id}/generate-pack/): previous_actions, kpi, audits, satisfaction, suppliers,
    improvements, risks, certification."""

    chair = _staff_field(required=False, allow_null=True)
    risks = RiskSerializer(many=True, required=False)
    actions = ReviewActionSerializer(many=True, read_only=True)
    pack = serializers.JSONField(read_only=True)

    class Meta:
        model = ManagementReview
        fields = ["id", "title", "held_on", "period_start", "period_end", "attendees", "chair", "minutes", "risks",
                  "pack", "pack_generated_at", "actions", "created_at", "updated_at", "version"]
        read_only_fields = ["pack_generated_at", "created_at", "updated_at"]

    def validate(self, attrs):
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        end = attrs.get("period_end", getattr(self.instance, "period_end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"period_end": [_("The period ends before it starts.")]})
        return attrs


class CertificationEventSerializer(VersionedSerializer):
    """A dated step of the certification: enquiry, application, stage1, pre_audit, stage2, decision,
    surveillance, recertification."""

    kind = serializers.ChoiceField(choices=CertificationKind.choices)

    class Meta:
        model = CertificationEvent
        fields = ["id", "kind", "date", "body", "result", "findings", "findings_closed_on", "notes", "created_at",
                  "updated_at", "version"]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        date = attrs.get("date", getattr(self.instance, "date", None))
        closed = attrs.get("findings_closed_on", getattr(self.instance, "findings_closed_on", None))
        if date and closed and closed < date:
            raise serializers.ValidationError({"findings_closed_on": [_("Findings close after the audit that "
                                                                         "raised them.")]})
        return attrs


class NextDueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CertificationKind.choices, allow_null=True)
    date = serializers.DateField(allow_null=True)
    anchor = serializers.DateField(allow_null=True, help_text=_("The certification decision the date counts from."))
    overdue = serializers.BooleanField()
