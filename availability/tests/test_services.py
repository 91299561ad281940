import pytest

from availability import services
from availability.models import Outage
from availability.tests.helpers import kst_nov
from core.choices import Channel
from core.exceptions import DomainError, PermissionRefused
from core.models import AuditEntry


def test_recording_an_outage_is_audited(service, outage, agent):
    recorded = outage(service, kst_nov(1, 1), kst_nov(1, 2))
    entry = AuditEntry.objects.get(object_id=recorded.pk, content_type__model="outage")
    assert entry.actor == agent and entry.new_value["service"] == service.pk


def test_an_outage_that_ends_before_it_starts_is_refused(service, outage):
    with pytest.raises(DomainError) as refused:
        outage(service, kst_nov(1, 2), kst_nov(1, 1))
    assert refused.value.field == "end"
    assert not Outage.objects.exists()


def test_an_overlapping_outage_of_the_same_service_is_refused(service, other_service, outage):
    outage(service, kst_nov(1, 1), kst_nov(1, 3))
    with pytest.raises(DomainError) as refused:
        outage(service, kst_nov(1, 2), kst_nov(1, 4))
    assert refused.value.code == "overlap"
    outage(other_service, kst_nov(1, 2), kst_nov(1, 4))  # another service may be down meanwhile
    assert Outage.objects.filter(service=service).count() == 1


def test_an_open_outage_blocks_later_ones_until_it_ends(service, outage):
    open_one = outage(service, kst_nov(1, 1), None)
    with pytest.raises(DomainError):
        outage(service, kst_nov(2, 1), kst_nov(2, 2))
    services.update_outage(open_one, actor=None, channel=Channel.SYSTEM, changes={"end": kst_nov(1, 5)})
    outage(service, kst_nov(2, 1), kst_nov(2, 2))


def test_end_users_do_not_record_outages(service, end_user):
    with pytest.raises(PermissionRefused):
        services.record_outage(actor=end_user, channel=Channel.PORTAL, service=service, start=kst_nov(1, 1))
