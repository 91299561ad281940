from core.api.permissions import DeskWritesOnly
from core.api.viewsets import TicketViewSet
from improvements import services
from improvements.api.serializers import ImprovementSerializer
from improvements.filtersets import ImprovementFilterSet
from improvements.models import Improvement


class ImprovementViewSet(TicketViewSet):
    """The continual improvement register (IMP…): improvement items and corrective actions.
    Detail by id or number. Moving an item is a PATCH of `state` with what the move needs
    (closing as effective: `result` {value, date} and `verified_by`)."""

    serializer_class = ImprovementSerializer
    filterset_class = ImprovementFilterSet
    permission_classes = [DeskWritesOnly]
    ordering_fields = ["id", "number", "state", "priority", "due_date", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return (Improvement.objects.visible_to(self.request.user).select_related("source_content_type")
                .defer("search_vector"))

    def perform_create_ticket(self, data):
        return services.create_improvement(**self.actor_kwargs(), **data)

    def perform_update_ticket(self, item, data, version):
        return services.update_improvement(item, **self.actor_kwargs(), changes=data, expected_version=version)[0]
