"""`surveys/responses/`: the answers received (desk staff: all; anyone else: their own), and an
answer given through the API by the person surveyed (POST {ticket, score, comment})."""

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from surveys import services
from surveys.filtersets import ResponseFilterSet
from surveys.models import Survey


class SurveyResponseSerializer(serializers.ModelSerializer):
    ticket = serializers.CharField(source="ticket_number", max_length=20,
                                   help_text=_("The ticket's number (INC0001001, REQ0001001)."))
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    created_at = serializers.DateTimeField(source="answered_at", read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "ticket", "score", "comment", "created_at"]


class SurveyResponseViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = SurveyResponseSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = ResponseFilterSet
    ordering_fields = ["answered_at", "score", "id"]
    ordering = ["-answered_at", "-id"]

    def get_queryset(self):
        return Survey.objects.visible_to(self.request.user).answered().only(
            "id", "ticket_number", "score", "comment", "answered_at")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        number = serializer.validated_data["ticket_number"].strip().upper()
        survey = (Survey.objects.filter(respondent=request.user, ticket_number=number)
                  .order_by("answered_at", "-sent_at").first())
        if survey is None:
            raise ValidationError({"ticket": [_("No survey about %(number)s was sent to you.") % {"number": number}]})
        answered = services.answer(survey, score=serializer.validated_data["score"],
                                   comment=serializer.validated_data.get("comment", ""), **self.actor_kwargs())
        return Response(self.get_serializer(answered).data, status=status.HTTP_201_CREATED)
