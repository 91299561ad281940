"""Demo data of supplier management; called by `manage.py seed_demo` after the SLA agreements.

Two external suppliers with underpinning contracts — one of them a maintenance UC that gives the
supplier 8 h to resolve a P1 under the 4 h P1 SLA, which the alignment check flags — an internal
group (Network Operations) bound by an OLA, a dispute, and a contract that ends within a month.
In English, or Korean with `seed_demo --language ko`. Idempotent: keyed by names and titles.
"""

import datetime
from decimal import Decimal

from accounts.models import Team
from core import demo
from core.choices import Channel
from core.demo import say
from suppliers import services
from suppliers.choices import ContractKind, DisputeState
from suppliers.models import Contract, Dispute, Supplier

SYSTEM = Channel.SYSTEM

demo.korean({
    "Hanbit Systems Co., Ltd.": "(주)한빛시스템",
    "Nuri Cloud": "누리클라우드",
    "Hanbit Systems maintenance team": "(주)한빛시스템 유지보수팀",
    "Nuri Cloud operations desk": "누리클라우드 운영 데스크",
    "Network Operations (internal)": "네트워크 운영팀 (내부)",
    "ERP and groupware maintenance": "ERP·그룹웨어 유지보수 계약",
    "Cloud hosting of the civil petition portal": "민원 포털 클라우드 호스팅 계약",
    "Backbone network OLA": "백본 네트워크 OLA",
    "Application maintenance: on-site support": "응용 시스템 유지보수 상주 지원",
    "Credit for the March ERP outage": "3월 ERP 장애 서비스 크레딧 청구",
    "Account manager": "영업 담당",
    "Escalation (24×7)": "장애 에스컬레이션 (24시간)",
    "Technical lead": "기술 책임자",
    "Kim Jiho": "김지호", "Park Sumin": "박수민", "Lee Hana": "이하나",
    "Maintenance of the ERP and groupware servers and applications, on-site and remote.":
        "ERP·그룹웨어 서버와 응용 프로그램의 상주·원격 유지보수.",
    "IaaS hosting, backups and 24×7 monitoring of the portal.": "포털의 IaaS 호스팅, 백업, 24시간 관제.",
    "Routers, switches and firewalls of the backbone.": "백본 라우터, 스위치, 방화벽.",
    "Two engineers on site during office hours.": "업무 시간 중 엔지니어 2명 상주.",
})

# name, business number, team name, internal, contacts
SUPPLIERS = [
    ("Hanbit Systems Co., Ltd.", "214-86-12345", "Hanbit Systems maintenance team", False,
     [("Kim Jiho", "jiho.kim@hanbit.example", "02-555-0101", "Account manager"),
      ("Park Sumin", "sumin.park@hanbit.example", "010-5550-0102", "Escalation (24×7)")]),
    ("Nuri Cloud", "120-81-67890", "Nuri Cloud operations desk", False,
     [("Lee Hana", "hana.lee@nuricloud.example", "1588-0000", "Technical lead")]),
    ("Network Operations (internal)", "", "Network Operations", True, []),
]


def _supplier(name, number, team_name, internal, contacts):
    existing = Supplier.objects.filter(name=say(name)).first()
    if existing is not None:
        return existing
    team, _created = Team.objects.get_or_create(name=say(team_name))
    return services.save_supplier(None, actor=None, channel=SYSTEM, fields={
        "name": say(name), "business_number": number, "team": team, "internal": internal},
        contacts=[{"name": say(n), "email": e, "phone": p, "role": say(r)} for n, e, p, r in contacts])


def _contract(title, *, supplier, kind, start, end, services_, targets, calendar, **fields):
    if Contract.objects.filter(title=say(title)).exists():
        return Contract.objects.get(title=say(title))
    return services.save_contract(None, actor=None, channel=SYSTEM, fields={
        "title": say(title), "supplier": supplier, "kind": kind, "start": start, "end": end,
        "calendar": calendar, **fields}, services=services_, targets=targets)


def seed(ctx):
    """Create this module's demo records. Idempotent."""
    today = datetime.date.today()
    suppliers = [_supplier(*row) for row in SUPPLIERS]
    hanbit, nuri, network = suppliers
    calendars = ctx.shared.get("sla_calendars") or {}
    always, government = calendars.get("always"), calendars.get("kr_government")
    business_services = list(ctx.shared.get("services") or [])[:3]
    manager = ctx.shared.get("manager")
    erp = _contract(
        "ERP and groupware maintenance", supplier=hanbit, kind=ContractKind.UC,
        start=today.replace(month=1, day=1), end=today.replace(month=12, day=31) + datetime.timedelta(days=365),
        services_=business_services[:1], calendar=always, value=Decimal("180000000"), reference="HB-2026-014",
        scope=say("Maintenance of the ERP and groupware servers and applications, on-site and remote."),
        responsible=manager, review_date=today + datetime.timedelta(days=120),
        # 8 h to resolve a P1 under the 4 h P1 SLA: the alignment check flags it.
        targets=[{"priority": 1, "response_minutes": 15, "resolution_minutes": 8 * 60},
                 {"priority": 2, "response_minutes": 60, "resolution_minutes": 12 * 60}])
    _contract(
        "Cloud hosting of the civil petition portal", supplier=nuri, kind=ContractKind.UC,
        start=today - datetime.timedelta(days=340), end=today + datetime.timedelta(days=25),
        services_=business_services[1:2], calendar=always, value=Decimal("96000000"), reference="NC-2025-207",
        scope=say("IaaS hosting, backups and 24×7 monitoring of the portal."), responsible=manager,
        review_date=today + datetime.timedelta(days=10),
        targets=[{"priority": 1, "response_minutes": 10, "resolution_minutes": 2 * 60}])
    _contract(
        "Application maintenance: on-site support", supplier=hanbit, kind=ContractKind.UC,
        start=today - datetime.timedelta(days=200), end=today + datetime.timedelta(days=75),
        services_=business_services[:1], calendar=government, value=Decimal("42000000"), reference="HB-2025-101",
        scope=say("Two engineers on site during office hours."), targets=[])
    _contract(
        "Backbone network OLA", supplier=network, kind=ContractKind.OLA,
        start=today.replace(month=1, day=1), end=today.replace(month=12, day=31) + datetime.timedelta(days=730),
        services_=business_services[2:3], calendar=always,
        scope=say("Routers, switches and firewalls of the backbone."), responsible=manager,
        targets=[{"priority": 1, "response_minutes": 10, "resolution_minutes": 3 * 60}])
    if not Dispute.objects.filter(contract=erp).exists():
        services.save_dispute(None, actor=None, channel=SYSTEM, fields={
            "contract": erp, "raised_on": today - datetime.timedelta(days=20),
            "subject": say("Credit for the March ERP outage"), "amount": Decimal("4500000"),
            "state": DisputeState.OPEN})
    ctx.log(f"  suppliers: {Supplier.objects.count()} suppliers, {Contract.objects.count()} contracts")
