"""The demo: a mid-cycle organisation, idempotent, in English and Korean."""

import datetime as dt
import io
import random

import pytest
from django.utils import translation

from accounts import demo as accounts_demo
from assurance import demo, selectors
from assurance.models import Audit, AuditProgramme, CertificationEvent, Finding, ManagementReview
from core.management.commands.seed_demo import DemoContext

pytestmark = pytest.mark.django_db


def _ctx():
    ctx = DemoContext(size="small", counts={}, rng=random.Random(1), stdout=io.StringIO())
    accounts_demo.seed(ctx)
    return ctx


def test_the_demo_is_a_mid_cycle_organisation_and_idempotent():
    ctx = _ctx()
    # when
    demo.seed(ctx)
    demo.seed(ctx)
    # then
    programme = AuditProgramme.objects.get()
    assert programme.start_year == (ctx.now.date() - dt.timedelta(days=demo.FIRST_AUDIT_DAYS_AGO)).year
    assert Audit.objects.count() == 5
    done_years = {a.performed_date.year for a in Audit.objects.filter(state__in=["reported", "closed"])}
    assert done_years <= {ctx.now.year - 2, ctx.now.year - 1, ctx.now.year} and len(done_years) >= 1
    major = Finding.objects.get(kind="major_nc")
    assert major.state == "open" and major.corrective_action is not None
    assert Audit.objects.filter(independence_conflict=True).count() == 1
    review = ManagementReview.objects.get()
    assert review.pack and review.actions.count() == 3
    assert list(CertificationEvent.objects.values_list("kind", flat=True)) == \
        ["enquiry", "application", "stage1", "stage2", "decision"]
    due = selectors.certification_next_due()
    assert due.kind == "surveillance" and due.date > ctx.now.date()
    assert selectors.open_major_nonconformity_clause_ids() == {"8.3.4"}


def test_the_demo_in_korean():
    ctx = _ctx()
    with translation.override("ko"):
        demo.seed(ctx)
    assert Audit.objects.filter(title="인시던트 및 서비스 요청 관리").exists()
    assert ManagementReview.objects.filter(title="연간 경영 검토").exists()
