from rest_framework import serializers

from accounts.models import Team, User
from core.api.serializers import VisibleRelationsSerializer


class UserBriefSerializer(VisibleRelationsSerializer):
    """The small nested form of a user used inside other records."""

    class Meta:
        model = User
        fields = ["id", "username", "display_name"]


class MeSerializer(VisibleRelationsSerializer):
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    organisation = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "roles", "organisation", "language"]
        read_only_fields = ["id", "username", "roles", "organisation"]


class TeamSerializer(VisibleRelationsSerializer):
    manager = UserBriefSerializer(read_only=True, allow_null=True)
    members = UserBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "description", "email", "manager", "members"]


class AccessLogSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer(read_only=True)

    class Meta:
        from accounts.models import AccessLog

        model = AccessLog
        fields = ["id", "user", "at", "method", "path", "query", "object_type", "object_id", "status"]
