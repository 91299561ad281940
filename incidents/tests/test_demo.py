import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from core.models import AuditEntry
from incidents.models import Incident


@pytest.mark.django_db
def test_demo_incidents_each_have_a_creation_audit_row_and_reseeding_adds_nothing():
    # given
    call_command("seed_demo", "--only", "accounts", "cmdb", "incidents", "--incidents", "150", "--cis", "40",
                 "--relationships", "60", stdout=open("/dev/null", "w"))
    content_type = ContentType.objects.get_for_model(Incident)
    # when
    call_command("seed_demo", "--only", "accounts", "cmdb", "incidents", "--incidents", "150", "--cis", "40",
                 "--relationships", "60", stdout=open("/dev/null", "w"))
    # then
    assert Incident.objects.count() == 150
    audited = set(AuditEntry.objects.filter(content_type=content_type, action="created")
                  .values_list("object_id", flat=True))
    assert audited == set(Incident.objects.values_list("pk", flat=True))
    assert set(Incident.objects.values_list("state", flat=True)) >= {"new", "in_progress", "resolved", "closed"}
