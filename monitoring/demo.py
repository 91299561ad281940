"""Demo data of event management (Korean and English, idempotent): mapping and incident rules,
one open alert with its incident on a production CI, one closed alert with its events."""

from datetime import timedelta

from django.db import transaction

from cmdb.models import ConfigurationItem
from core.demo import korean, say
from monitoring.ingest import IncomingEvent, ingest
from monitoring.models import Alert, CIMappingRule, IncidentRule

korean({
    "Prometheus instance (host:port) → CI name": "Prometheus instance(호스트:포트) → CI 이름",
    "Zabbix host → external id": "Zabbix 호스트 → 외부 ID",
    "Critical in production → P1": "운영 환경 심각 → P1",
    "Major on critical CIs → P2": "핵심 CI 주요 → P2",
    "Major anywhere → P3": "그 외 주요 → P3",
    "Test and development stay quiet": "테스트·개발 환경은 인시던트 없음",
    "HTTP 503 from the load balancer health check": "로드밸런서 헬스 체크에서 HTTP 503 응답",
    "Disk /var above 90%": "디스크 /var 사용률 90% 초과",
})


def seed(ctx):
    agents = list(ctx.shared.get("agents") or [])
    actor = ctx.shared.get("admin") or (agents[0] if agents else None)
    if actor is None:
        ctx.log("  monitoring: no demo accounts, skipped")
        return
    with transaction.atomic():
        _rules()
    if Alert.objects.filter(source="demo").exists():
        ctx.log("  monitoring: demo alerts exist, skipped")
        return
    cis = list(ConfigurationItem.objects.filter(environment="production").exclude(ci_class__slug="business_service")
               .order_by("criticality", "pk")[:2])
    if not cis:
        ctx.log("  monitoring: no production CIs, skipped")
        return
    now = ctx.now
    first = cis[0]
    for minutes in (25, 20, 15, 10):
        ingest(IncomingEvent(source="demo", node=first.name, ci=first.name, check="http_health", severity="critical",
                             status="firing", fingerprint="demo:http_health:" + first.name,
                             message=say("HTTP 503 from the load balancer health check"),
                             labels={"job": "blackbox", "instance": first.name}),
               actor=actor, now=now - timedelta(minutes=minutes))
    second = cis[-1]
    for minutes, status in ((180, "firing"), (175, "firing"), (160, "resolved")):
        ingest(IncomingEvent(source="demo", node=second.name, ci=second.name, check="disk_var", severity="warning",
                             status=status, fingerprint="demo:disk_var:" + second.name,
                             message=say("Disk /var above 90%"), labels={"mountpoint": "/var"}),
               actor=actor, now=now - timedelta(minutes=minutes))
    ctx.log(f"  monitoring: {Alert.objects.count()} alerts, {IncidentRule.objects.count()} incident rules")


def _rules():
    for order, name, fields in (
        (10, "Prometheus instance (host:port) → CI name",
         {"match_on": "label", "label": "instance", "pattern": r"^([^:]+)", "target": "name"}),
        (20, "Zabbix host → external id", {"match_on": "node", "target": "external_id"}),
    ):
        CIMappingRule.objects.get_or_create(name=say(name), defaults={"order": order, **fields})
    for order, name, fields in (
        (5, "Test and development stay quiet", {"min_severity": "info", "environment": "test", "open_incident": False}),
        (10, "Critical in production → P1", {"min_severity": "critical", "environment": "production",
                                             "impact": 1, "urgency": 1}),
        (20, "Major on critical CIs → P2", {"min_severity": "major", "max_criticality": 2, "impact": 2,
                                            "urgency": 1}),
        (30, "Major anywhere → P3", {"min_severity": "major", "impact": 2, "urgency": 2}),
    ):
        IncidentRule.objects.get_or_create(name=say(name), defaults={"order": order, **fields})
