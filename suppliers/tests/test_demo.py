"""The demo suppliers: Korean names, a misaligned 8 h UC under the 4 h P1 SLA, an OLA with an
internal group, a dispute, a contract ending soon; idempotent."""

import io
import random

import pytest
from django.utils import translation

from accounts import demo as accounts_demo
from cmdb import demo as cmdb_demo
from core.management.commands.seed_demo import DemoContext
from sla import demo as sla_demo
from suppliers import demo, selectors
from suppliers.models import Contract, Dispute, Supplier

pytestmark = pytest.mark.django_db


def test_the_korean_demo_flags_the_8h_uc_and_is_idempotent():
    ctx = DemoContext(size="small", counts={}, rng=random.Random(1), stdout=io.StringIO())
    with translation.override("ko"):
        accounts_demo.seed(ctx)
        cmdb_demo.seed(ctx)
        sla_demo.seed(ctx)
        # when
        demo.seed(ctx)
        demo.seed(ctx)
    # then
    assert set(Supplier.objects.values_list("name", flat=True)) >= {"(주)한빛시스템", "누리클라우드"}
    assert Contract.objects.count() == 4 and Dispute.objects.count() == 1
    assert Contract.objects.filter(kind="ola", supplier__internal=True).exists()
    warnings = selectors.alignment_warnings(selectors.contract_queryset())
    flagged = {(c, w["priority"], w["kind"], w["target_minutes"], w["sla_minutes"])
               for c, rows in warnings.items() for w in rows}
    erp = Contract.objects.get(title="ERP·그룹웨어 유지보수 계약")
    assert flagged == {(erp.pk, 1, "resolution", 480, 240)}
    assert selectors.expiring_contracts(90).count() == 2
