"""Demo estate for configuration management: business services → applications → databases
and VMs → hosts → network and storage (hosts depend on their switches; the network devices are
meshed with peer `connects_to` links, which impact analysis does not follow). Called by `manage.py seed_demo` in dependency order.

Small sizes go through the services (validated and audited, like real data entry); large
sizes (benchmarks: 100,000 CIs and 300,000 relationships) use bulk_create in batches.
Idempotent: a database already holding the requested number of CIs is left alone.
"""

import csv
import io
import json

from django.db import connection, transaction
from django.utils import timezone

from cmdb import services
from cmdb.choices import BUSINESS_SERVICE_SLUG, CIStatus, Environment, RelationshipType
from cmdb.models import CIClass, ConfigurationItem, Relationship
from core import demo
from core.choices import Channel
from core.demo import say

BULK_THRESHOLD = 2000

SERVICES = ["Online Banking", "Payroll", "E-mail and Calendar", "ERP Finance", "HR Self-Service", "Customer Portal",
            "Point of Sale", "Data Warehouse", "VPN Remote Access", "Document Management", "CRM", "Intranet",
            "Mobile App Backend", "Identity and Access", "Procurement", "Logistics Tracking"]
APP_KINDS = ["web", "api", "worker", "batch", "gateway", "auth", "search", "report"]
DB_ENGINES = ["postgresql", "oracle", "mysql", "mssql", "redis", "mongodb"]
LOCATIONS = ["Seoul DC1 / Hall A", "Seoul DC1 / Hall B", "Busan DC2 / Hall 1", "AWS ap-northeast-2", "Azure Korea Central"]
VENDORS = {"server": ["Dell", "HPE", "Lenovo", "Cisco UCS"], "network_device": ["Cisco", "Juniper", "Arista", "Fortinet"],
           "storage": ["NetApp", "Pure Storage", "Dell EMC"], "cloud_resource": ["AWS", "Azure", "GCP"]}

# Share of the estate per class (business services take what is left).
MIX = [("application", 0.15), ("database", 0.10), ("virtual_machine", 0.40), ("server", 0.20),
       ("network_device", 0.06), ("storage", 0.04), ("cloud_resource", 0.02)]
# Which classes need which: (source class, type, target class, how many targets per source).
LINKS = [
    (BUSINESS_SERVICE_SLUG, RelationshipType.DEPENDS_ON, "application", 3),
    ("application", RelationshipType.RUNS_ON, "virtual_machine", 2),
    ("application", RelationshipType.DEPENDS_ON, "database", 1),
    ("application", RelationshipType.DEPENDS_ON, "cloud_resource", 1),
    ("database", RelationshipType.HOSTED_ON, "virtual_machine", 1),
    ("virtual_machine", RelationshipType.HOSTED_ON, "server", 1),
    # Uplinks: a server needs its switches, so a switch failure reaches servers → VMs →
    # databases/applications → business services.
    ("server", RelationshipType.DEPENDS_ON, "network_device", 2),
    ("server", RelationshipType.DEPENDS_ON, "storage", 1),
    # Network devices form a peer mesh: connects_to is a link between equals, not a dependency,
    # so impact analysis does not walk it (cmdb.choices.DEPENDENCY_TYPES).
    ("network_device", RelationshipType.CONNECTS_TO, "network_device", 1),
]


def _environment(rng):
    roll = rng.random()
    if roll < 0.7:
        return Environment.PRODUCTION
    if roll < 0.82:
        return Environment.STAGING
    if roll < 0.92:
        return Environment.TEST
    return Environment.DEVELOPMENT


def _attributes(slug, index, rng):
    if slug in ("server", "virtual_machine"):
        attrs = {"hostname": f"{'srv' if slug == 'server' else 'vm'}{index:06d}.corp.example",
                 "ip_address": f"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}",
                 "cpu_count": rng.choice([2, 4, 8, 16, 32, 64]), "memory_gb": rng.choice([8, 16, 32, 64, 128, 256]),
                 "os": rng.choice(["Rocky Linux 9", "Ubuntu 24.04", "Windows Server 2022", "RHEL 9"])}
        if slug == "virtual_machine":
            attrs["hypervisor"] = rng.choice(["vmware", "kvm", "hyper-v"])
        else:
            attrs["serial_number"] = f"SN{rng.randrange(10**9):09d}"
        return attrs
    if slug == "database":
        engine = rng.choice(DB_ENGINES)
        return {"engine": engine, "engine_version": rng.choice(["16", "15", "19c", "8.0", "2022", "7.2"]),
                "port": {"postgresql": 5432, "oracle": 1521, "mysql": 3306, "mssql": 1433, "redis": 6379,
                         "mongodb": 27017}[engine], "size_gb": rng.choice([20, 100, 500, 2000]), "replicated": rng.random() < .6}
    if slug == "application":
        return {"app_version": f"{rng.randrange(1, 6)}.{rng.randrange(0, 20)}.{rng.randrange(0, 10)}",
                "language": rng.choice(["Java 21", "Python 3.12", "Go 1.23", ".NET 8", "Node.js 22"])}
    if slug == BUSINESS_SERVICE_SLUG:
        return {"sla_tier": rng.choice(["gold", "silver", "bronze"]), "service_hours": rng.choice(["24x7", "Mon-Fri 08-20"]),
                "customer_facing": rng.random() < .5}
    if slug == "network_device":
        return {"device_type": rng.choice(["router", "switch", "firewall", "load_balancer"]),
                "model": rng.choice(["Catalyst 9300", "MX204", "7050X3", "FortiGate 600F"]), "port_count": rng.choice([24, 48, 96])}
    if slug == "storage":
        return {"storage_type": rng.choice(["san", "nas", "object"]), "capacity_tb": rng.choice([50, 200, 800]),
                "raid_level": rng.choice(["RAID 6", "RAID 10", "DDP"])}
    if slug == "cloud_resource":
        return {"provider": rng.choice(["aws", "azure", "gcp"]), "region": rng.choice(["ap-northeast-2", "koreacentral"]),
                "resource_type": rng.choice(["S3 bucket", "RDS instance", "Service Bus", "Cloud Function"])}
    return {}


demo.korean({
    "Online Banking": "인터넷뱅킹", "Payroll": "급여", "E-mail and Calendar": "메일·일정", "ERP Finance": "ERP 재무",
    "HR Self-Service": "인사 셀프서비스", "Customer Portal": "고객 포털", "Point of Sale": "매장 결제(POS)",
    "Data Warehouse": "데이터 웨어하우스", "VPN Remote Access": "VPN 원격 접속", "Document Management": "문서 관리",
    "CRM": "CRM", "Intranet": "인트라넷", "Mobile App Backend": "모바일 앱 백엔드", "Identity and Access": "계정·접근 관리",
    "Procurement": "구매", "Logistics Tracking": "물류 추적",
})


def _name(slug, index, rng):
    if slug == BUSINESS_SERVICE_SLUG:
        base = say(SERVICES[index % len(SERVICES)])
        return base if index < len(SERVICES) else f"{base} {index // len(SERVICES) + 1}"
    prefix = {"application": rng.choice(APP_KINDS), "database": "db", "virtual_machine": "vm", "server": "esx",
              "network_device": "net", "storage": "stor", "cloud_resource": "cloud"}[slug]
    if slug == "application":
        return f"{SERVICES[index % len(SERVICES)].lower().replace(' ', '-')}-{prefix}-{index:05d}"
    return f"{prefix}-{index:06d}"


def _plan_estate(total, rng):
    """[(slug, count)] summing to `total`, with at least one of each class."""
    plan = [(slug, max(1, int(total * share))) for slug, share in MIX]
    services_count = max(1, total - sum(count for _slug, count in plan))
    return [(BUSINESS_SERVICE_SLUG, services_count), *plan]


def _ci_rows(total, ctx, classes, teams):
    rng = ctx.rng
    owner_by_class = {BUSINESS_SERVICE_SLUG: 4, "application": 4, "database": 3, "virtual_machine": 2,
                      "server": 2, "network_device": 1, "storage": 2, "cloud_resource": 2}
    for slug, count in _plan_estate(total, rng):
        for index in range(count):
            team = teams[owner_by_class[slug] % len(teams)] if teams else None
            yield slug, {
                "ci_class": classes[slug], "name": _name(slug, index, rng), "environment": _environment(rng),
                "status": CIStatus.IN_USE if rng.random() < 0.9 else rng.choice(
                    [CIStatus.PLANNED, CIStatus.MAINTENANCE, CIStatus.RETIRED]),
                "criticality": 1 if slug == BUSINESS_SERVICE_SLUG and index < 4 else rng.choice([1, 2, 2, 3, 3, 3, 4]),
                "owner_group": team, "location": rng.choice(LOCATIONS),
                "vendor": rng.choice(VENDORS.get(slug, [""])), "tags": rng.sample(["pci", "gdpr", "tier1", "legacy",
                                                                                     "cloud", "dr"], k=rng.randrange(0, 3)),
                "attributes": _attributes(slug, index, rng), "external_id": f"demo-{slug}-{index:06d}",
            }


def _relationship_triples(by_class, wanted, rng):
    """Layered relationships following LINKS, then extra random ones along the same layers."""
    seen = set()

    def add(source, target, rel_type):
        if source != target and (source, target, rel_type) not in seen:
            seen.add((source, target, rel_type))
            return True
        return False

    for source_slug, rel_type, target_slug, per_source in LINKS:
        sources, targets = by_class.get(source_slug, []), by_class.get(target_slug, [])
        if not sources or not targets:
            continue
        for position, source in enumerate(sources):
            # Spread sources over targets so fan-in stays realistic.
            base = position * len(targets) // len(sources)
            for k in range(per_source):
                if len(seen) >= wanted:
                    return seen
                add(source, targets[(base + k * 7 + rng.randrange(3)) % len(targets)], rel_type)
    attempts = 0
    while len(seen) < wanted and attempts < wanted * 5:
        attempts += 1
        source_slug, rel_type, target_slug, _per = LINKS[rng.randrange(len(LINKS))]
        sources, targets = by_class.get(source_slug, []), by_class.get(target_slug, [])
        if sources and targets:
            add(rng.choice(sources), rng.choice(targets), rel_type)
    return seen


def _copy_insert(model, columns, rows):
    """PostgreSQL bulk path: COPY into a temporary table, then INSERT … ON CONFLICT DO NOTHING
    (as idempotent as bulk_create(ignore_conflicts=True), several times faster)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["\\N" if value is None else value for value in row])
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE cmdb_seed AS SELECT {names} FROM {table} WITH NO DATA")
        cursor.copy_expert(f"COPY cmdb_seed ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM cmdb_seed ON CONFLICT DO NOTHING")
        cursor.execute("DROP TABLE cmdb_seed")


CI_COPY_COLUMNS = ["name", "ci_class_id", "status", "environment", "criticality", "owner_group_id", "description",
                   "location", "vendor", "tags", "attributes", "external_id", "version", "created_at", "updated_at"]


def _bulk_cis(rows):
    now = timezone.now().isoformat()
    _copy_insert(ConfigurationItem, CI_COPY_COLUMNS, (
        [f["name"], f["ci_class"].pk, f["status"], f["environment"], f["criticality"],
         f["owner_group"].pk if f["owner_group"] else None, "", f["location"], f["vendor"],
         json.dumps(f["tags"]), json.dumps(f["attributes"]), f["external_id"], 1, now, now]
        for _slug, f in rows))


def _bulk_relationships(triples):
    now = timezone.now().isoformat()
    _copy_insert(Relationship, ["source_id", "target_id", "type", "created_at"],
                 ([source, target, rel_type, now] for source, target, rel_type in triples))


def seed(ctx):
    """Create the demo estate; leaves ctx.shared["cis"] (CI ids) and ctx.shared["services"]."""
    wanted_cis = ctx.counts.get("cis", 120)
    wanted_rels = ctx.counts.get("relationships", 300)
    classes = {cls.slug: cls for cls in CIClass.objects.all()}
    teams = ctx.shared.get("teams") or []
    actor = ctx.shared.get("admin")
    existing = ConfigurationItem.objects.count()
    if existing < wanted_cis:
        rows = list(_ci_rows(wanted_cis, ctx, classes, teams))
        known = set(ConfigurationItem.objects.exclude(external_id=None).values_list("external_id", flat=True))
        rows = [(slug, fields) for slug, fields in rows if fields["external_id"] not in known]
        if wanted_cis >= BULK_THRESHOLD:
            _bulk_cis(rows)
        else:
            with transaction.atomic():
                for _slug, fields in rows:
                    if not ConfigurationItem.objects.filter(ci_class=fields["ci_class"], name=fields["name"],
                                                            environment=fields["environment"]).exists():
                        services.create_ci(actor=actor, channel=Channel.SYSTEM, **fields)
    by_class = {}
    for ci_id, slug in ConfigurationItem.objects.order_by("pk").values_list("pk", "ci_class__slug"):
        by_class.setdefault(slug, []).append(ci_id)
    if Relationship.objects.count() < wanted_rels:
        triples = _relationship_triples(by_class, wanted_rels, ctx.rng)
        if wanted_rels >= BULK_THRESHOLD:
            _bulk_relationships(triples)
        else:
            existing_rels = set(Relationship.objects.values_list("source_id", "target_id", "type"))
            cis = ConfigurationItem.objects.in_bulk([i for t in triples for i in t[:2]])
            with transaction.atomic():
                for source, target, rel_type in sorted(triples):
                    if (source, target, rel_type) not in existing_rels:
                        services.add_relationship(source=cis[source], target=cis[target], type=rel_type,
                                                  actor=actor, channel=Channel.SYSTEM)
    live = ConfigurationItem.objects.exclude(status=CIStatus.RETIRED)
    ctx.shared["services"] = list(live.filter(ci_class__slug=BUSINESS_SERVICE_SLUG).order_by("pk")[:50])
    ctx.shared["cis"] = list(live.exclude(ci_class__slug=BUSINESS_SERVICE_SLUG).filter(
        environment=Environment.PRODUCTION).order_by("pk").values_list("pk", flat=True)[:500])
    ctx.log(f"  cmdb: {ConfigurationItem.objects.count()} CIs, {Relationship.objects.count()} relationships")
