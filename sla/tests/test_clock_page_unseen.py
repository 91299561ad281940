"""Defect 3 of issue 10: a clock page answers 404 to an end user, as any record they may not see."""

import pytest
from django.utils import timezone

from sla.models import SLAClock

pytestmark = pytest.mark.django_db


def test_clock_page_is_404_to_end_users_and_shown_to_the_desk(client, agent, end_user, definition, open_incident):
    open_incident(now=timezone.now())
    clock = SLAClock.objects.first()
    client.force_login(end_user)
    assert client.get(f"/sla/clocks/{clock.pk}/").status_code == 404
    assert client.get(f"/sla/clocks/{clock.pk + 1000}/").status_code == 404
    client.force_login(agent)
    assert client.get(f"/sla/clocks/{clock.pk}/").status_code == 200
