"""Demo data for incident management; called by `manage.py seed_demo` in dependency order.

Idempotent: it tops the incident count up to `ctx.counts["incidents"]`. The first few dozen
go through the services (full audit trail, comments, SLA clocks, real life cycles); the
rest take the bulk path (numbers pre-allocated in one call, then COPY on PostgreSQL or
bulk_create elsewhere) so that a million rows take minutes.
"""

import csv
import io
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from accounts.models import Team, User
from accounts.roles import Role
from cmdb.models import ConfigurationItem
from core import audit
from core import demo
from core.choices import AuditAction, Channel
from core.demo import say
from core.models import AuditEntry, NumberSequence
from incidents import priority as priority_rules
from incidents import search, services
from incidents.choices import IncidentChannel, IncidentState, OnHoldReason, ResolutionCode
from incidents.models import AssignmentRule, Category, Incident

CATEGORIES = {
    ("network", "Network"): [("vpn", "VPN"), ("wifi", "Wi-Fi"), ("lan", "Wired LAN")],
    ("hardware", "Hardware"): [("laptop", "Laptop / PC"), ("printer", "Printer"), ("monitor", "Monitor")],
    ("software", "Software"): [("groupware", "Groupware / mail"), ("erp", "ERP"), ("office", "Office suite")],
    ("access", "Access"): [("password", "Password / account lock"), ("permission", "Permissions")],
    ("security", "Security"): [("phishing", "Phishing"), ("malware", "Malware")],
}
demo.korean({
    "Network": "네트워크", "VPN": "VPN", "Wi-Fi": "무선랜(Wi-Fi)", "Wired LAN": "유선랜",
    "Hardware": "하드웨어", "Laptop / PC": "노트북 / PC", "Printer": "프린터", "Monitor": "모니터",
    "Software": "소프트웨어", "Groupware / mail": "그룹웨어 / 메일", "ERP": "ERP", "Office suite": "오피스",
    "Access": "접근 권한", "Password / account lock": "비밀번호 / 계정 잠금", "Permissions": "권한",
    "Security": "보안", "Phishing": "피싱", "Malware": "악성코드",
    "Anything with a CI → the CI's owner group": "CI가 지정된 건 → CI 담당 그룹",
    "Everything else → Service Desk": "그 밖의 모든 건 → 서비스 데스크",
})
ROUTING = [("network", "Network Operations"), ("hardware", "Service Desk"), ("software", "Application Support"),
           ("access", "Security Operations"), ("security", "Security Operations")]

# (subcategory slug, title, description, resolution notes)
TEMPLATES = [
    ("vpn", "재택근무 중 VPN 접속이 안 됩니다", "SSL VPN 클라이언트에서 '인증서 오류' 메시지가 나옵니다. 어제까지는 정상이었습니다.",
     "VPN 게이트웨이 인증서 체인을 갱신했습니다."),
    ("vpn", "VPN disconnects every 10 minutes", "Since the weekend the VPN drops roughly every ten minutes.",
     "Idle timeout on the concentrator raised to 60 minutes."),
    ("wifi", "3층 회의실 Wi-Fi 연결이 자주 끊깁니다", "회의 중 화상회의가 계속 끊깁니다. 다른 층은 괜찮습니다.",
     "3층 AP 펌웨어를 업데이트하고 채널을 재배치했습니다."),
    ("lan", "부산지점 네트워크 전체 불통", "부산지점 전 직원이 사내 시스템에 접속할 수 없습니다.",
     "지점 L3 스위치 전원 모듈 교체 후 복구되었습니다."),
    ("laptop", "노트북이 부팅되지 않습니다", "전원 버튼을 눌러도 로고 화면에서 멈춥니다.",
     "SSD 불량으로 교체하고 백업에서 복원했습니다."),
    ("laptop", "Laptop very slow after Windows update", "Every application takes minutes to start.",
     "Disk encryption re-indexing finished; defragmented and verified."),
    ("printer", "재무팀 복합기 인쇄 대기열 멈춤", "인쇄 요청이 대기열에 쌓이기만 하고 출력되지 않습니다.",
     "프린트 스풀러 서비스를 재시작하고 드라이버를 재설치했습니다."),
    ("monitor", "Second monitor not detected", "Docking station does not show the external monitor.",
     "Docking station firmware updated."),
    ("groupware", "그룹웨어 메일 발송 실패", "외부 도메인으로 메일을 보내면 반송됩니다. 오전 9시부터 발생합니다.",
     "SMTP 릴레이 서버의 큐를 정리하고 서비스를 재시작했습니다."),
    ("groupware", "전자결재 승인 버튼이 동작하지 않음", "결재함에서 승인을 누르면 아무 반응이 없습니다.",
     "브라우저 캐시 문제로 확인되어 캐시 삭제 방법을 안내했습니다."),
    ("erp", "ERP 월마감 배치 지연", "월마감 정산 배치가 평소보다 3시간 이상 지연되고 있습니다.",
     "DB 통계 정보를 갱신하고 배치를 재실행했습니다."),
    ("erp", "ERP login error 'session expired'", "Users in Sales get 'session expired' right after login.",
     "Load balancer session persistence restored."),
    ("office", "엑셀 파일이 열리지 않습니다", "공유 폴더의 엑셀 파일을 열면 '손상된 파일' 오류가 납니다.",
     "이전 버전에서 파일을 복원했습니다."),
    ("password", "비밀번호 5회 오류로 계정 잠김", "비밀번호를 여러 번 잘못 입력해서 계정이 잠겼습니다.",
     "본인 확인 후 계정 잠금을 해제했습니다."),
    ("permission", "인사 시스템 조회 권한 요청 오류", "인사팀 이동 후에도 인사 시스템 메뉴가 보이지 않습니다.",
     "역할 그룹을 갱신했습니다."),
    ("phishing", "의심스러운 택배 안내 메일 수신", "택배 조회 링크가 있는 메일을 받았습니다. 링크를 눌렀습니다.",
     "메일 격리, 비밀번호 변경 및 단말 점검을 완료했습니다."),
    ("malware", "Antivirus alert on finance PC", "Endpoint protection quarantined a file from a USB stick.",
     "Full scan clean; USB policy reminder sent."),
]

SERVICE_COUNT = 5  # small path: how many incidents go through the services with a full story
BATCH = 50_000
COLUMNS = [
    "number", "title", "description", "assignment_group_id", "assigned_to_id", "created_by_id", "created_at",
    "updated_at", "version", "caller_id", "channel", "category_id", "subcategory_id", "service_id",
    "configuration_item_id", "impact", "urgency", "priority", "priority_override", "priority_override_reason",
    "state", "on_hold_reason", "resolution_code", "resolution_notes", "resolved_at", "closed_at",
    "first_responded_at", "is_major", "reopen_count",
]


def seed(ctx):
    """Top the incidents up to ctx.counts["incidents"]; safe to run twice."""
    wanted = ctx.counts.get("incidents", 400)
    categories = _categories()
    teams = {t.name: t for t in (ctx.shared.get("teams") or Team.objects.all())}
    _rules(categories, teams)
    existing = Incident.objects.count()
    missing = max(0, wanted - existing)
    if missing == 0:
        _share(ctx)
        ctx.log(f"  incidents: {existing} already present")
        return
    world = _world(ctx, categories, teams)
    if world is None:
        ctx.log("  incidents: no users to report incidents; run accounts first")
        return
    story_count = min(missing, SERVICE_COUNT * 8) if existing == 0 else 0
    if story_count:
        _stories(ctx, world, story_count)
    bulk = max(0, wanted - Incident.objects.count())
    if bulk:
        _bulk(ctx, world, bulk)
    _share(ctx)
    ctx.log(f"  incidents: {Incident.objects.count()} in total")


def _share(ctx):
    """Leave the ids of recent incidents for problems and changes to link to."""
    ctx.shared["incidents"] = list(Incident.objects.order_by("-pk").values_list("pk", flat=True)[:2000])


def _categories():
    result = {}
    for order, ((slug, name), children) in enumerate(CATEGORIES.items()):
        parent, _ = Category.objects.get_or_create(slug=slug, defaults={"name": say(name), "order": order})
        result[slug] = parent
        for child_slug, child_name in children:
            result[child_slug], _ = Category.objects.get_or_create(
                slug=child_slug, defaults={"name": say(child_name), "parent": parent})
    return result


def _rules(categories, teams):
    if AssignmentRule.objects.exists():
        return
    for order, (slug, team_name) in enumerate(ROUTING, start=1):
        team_name = say(team_name)
        if teams.get(team_name):
            AssignmentRule.objects.create(name=f"{categories[slug].name} → {team_name}", order=order * 10,
                                          category=categories[slug], assignment_group=teams[team_name])
    AssignmentRule.objects.create(name=say("Anything with a CI → the CI's owner group"), order=500,
                                  use_ci_owner_group=True)
    if teams.get(say("Service Desk")):
        AssignmentRule.objects.create(name=say("Everything else → Service Desk"), order=1000,
                                      assignment_group=teams[say("Service Desk")])


class _World:
    pass


def _world(ctx, categories, teams):
    end_users = ctx.shared.get("end_users") or list(
        User.objects.filter(groups__name=Role.END_USER, is_active=True)[:200])
    agents = ctx.shared.get("agents") or list(User.objects.filter(groups__name=Role.AGENT, is_active=True)[:200])
    if not end_users or not agents:
        return None
    world = _World()
    world.end_users, world.agents = end_users, agents
    world.teams = list(teams.values())
    world.members = {t.pk: list(t.members.filter(is_active=True).values_list("pk", flat=True)) for t in world.teams}
    world.categories = categories
    world.services = ctx.shared.get("services") or list(ConfigurationItem.objects.business_services()[:50])
    world.ci_ids = ctx.shared.get("cis") or list(
        ConfigurationItem.objects.exclude(ci_class__slug="business_service").values_list("pk", flat=True)[:500])
    world.routing = {slug: teams.get(say(name)) for slug, name in ROUTING}
    world.now = ctx.now
    world.days = 365
    return world


def _pick_state(rng, age_days):
    """Most incidents older than two weeks are closed; the last two days are where work is."""
    roll = rng.random()
    if age_days > 14:
        table = [(0.93, IncidentState.CLOSED), (0.985, IncidentState.CANCELLED), (0.99, IncidentState.RESOLVED),
                 (0.995, IncidentState.ON_HOLD), (1.0, IncidentState.IN_PROGRESS)]
    elif age_days > 2:
        table = [(0.02, IncidentState.NEW), (0.07, IncidentState.IN_PROGRESS), (0.10, IncidentState.ON_HOLD),
                 (0.40, IncidentState.RESOLVED), (0.95, IncidentState.CLOSED), (1.0, IncidentState.CANCELLED)]
    else:
        table = [(0.15, IncidentState.NEW), (0.45, IncidentState.IN_PROGRESS), (0.55, IncidentState.ON_HOLD),
                 (0.80, IncidentState.RESOLVED), (0.95, IncidentState.CLOSED), (1.0, IncidentState.CANCELLED)]
    for limit, state in table:
        if roll < limit:
            return state
    return IncidentState.CLOSED


def _row(rng, world, number):
    """One incident's column values, consistent with the life cycle rules."""
    sub_slug, title, description, resolution = TEMPLATES[rng.randrange(len(TEMPLATES))]
    subcategory = world.categories[sub_slug]
    # More incidents recently than long ago: age skewed towards the present.
    age = world.days * (rng.random() ** 1.2)
    created = world.now - timedelta(days=age, minutes=rng.randrange(1440))
    state = _pick_state(rng, age)
    impact, urgency = rng.choice([3, 3, 3, 2, 2, 1]), rng.choice([3, 3, 2, 2, 1])
    group = world.routing.get(subcategory.parent.slug) or rng.choice(world.teams)
    members = world.members.get(group.pk) or []
    assignee = rng.choice(members) if members and (state != IncidentState.NEW or rng.random() < 0.3) else None
    responded = created + timedelta(minutes=rng.randrange(5, 240)) if state != IncidentState.NEW else None
    resolved = closed = None
    code = notes = hold = ""
    if state in (IncidentState.RESOLVED, IncidentState.CLOSED):
        resolved = min(created + timedelta(hours=rng.randrange(1, 96)), world.now)
        code = rng.choice([ResolutionCode.SOLVED_PERMANENTLY, ResolutionCode.SOLVED_WORKAROUND,
                           ResolutionCode.USER_ERROR, ResolutionCode.NOT_REPRODUCIBLE])
        notes = resolution
    if state == IncidentState.CLOSED:
        closed = min(resolved + timedelta(days=rng.choice([0, 1, 2, 5])), world.now)
    if state == IncidentState.ON_HOLD:
        hold = rng.choice(OnHoldReason.values)
    updated = closed or resolved or responded or created
    return {
        "number": NumberSequence.format(Incident.NUMBER_PREFIX, number), "title": title,
        "description": description, "assignment_group_id": group.pk, "assigned_to_id": assignee,
        "created_by_id": None, "created_at": created, "updated_at": updated, "version": 1,
        "caller_id": rng.choice(world.end_users).pk,
        "channel": rng.choice([IncidentChannel.PORTAL, IncidentChannel.PORTAL, IncidentChannel.AGENT,
                               IncidentChannel.EMAIL, IncidentChannel.MONITORING]),
        "category_id": subcategory.parent_id, "subcategory_id": subcategory.pk,
        "service_id": rng.choice(world.services).pk if world.services and rng.random() < 0.6 else None,
        "configuration_item_id": rng.choice(world.ci_ids) if world.ci_ids and rng.random() < 0.3 else None,
        "impact": impact, "urgency": urgency, "priority": priority_rules.priority_for(impact, urgency),
        "priority_override": False, "priority_override_reason": "", "state": state, "on_hold_reason": hold,
        "resolution_code": code, "resolution_notes": notes, "resolved_at": resolved, "closed_at": closed,
        "first_responded_at": responded, "is_major": False, "reopen_count": 0,
    }


def _bulk(ctx, world, count):
    rng = ctx.rng
    with transaction.atomic():
        first = NumberSequence.allocate(Incident.NUMBER_PREFIX, count)
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        rows = [_row(rng, world, first + done + i) for i in range(size)]
        with transaction.atomic():
            _copy(rows)
        done += size
        if count >= BATCH:
            ctx.log(f"    incidents: {done}/{count}")
    if count <= AUDITED_BULK_LIMIT:
        _audit_creation(first, count)


# Up to this many bulk rows also get their "created" audit row, so that a demo record's
# timeline is not empty; benchmark sizes skip it (it would double the load time).
AUDITED_BULK_LIMIT = 20_000


def _audit_creation(first, count):
    numbers = [NumberSequence.format(Incident.NUMBER_PREFIX, first + i) for i in range(count)]
    content_type = ContentType.objects.get_for_model(Incident)
    fields = ("title", "state", "impact", "urgency", "priority", "caller", "assignment_group", "category")
    entries = []
    for incident in Incident.objects.filter(number__in=numbers).order_by("pk").iterator(chunk_size=2000):
        entries.append(AuditEntry(
            content_type=content_type, object_id=incident.pk, object_repr=str(incident)[:200],
            action=AuditAction.CREATED, new_value=audit.snapshot(incident, fields),
            actor_id=incident.caller_id, channel=_AUDIT_CHANNEL.get(incident.channel, Channel.SYSTEM),
            context={"demo": True}, created_at=incident.created_at,
        ))
    AuditEntry.objects.bulk_create(entries, batch_size=2000)


_AUDIT_CHANNEL = {"portal": Channel.PORTAL, "agent": Channel.WEB, "api": Channel.API, "email": Channel.EMAIL,
                  "monitoring": Channel.MONITORING}


def _copy(rows):
    """COPY into a temporary table, then one INSERT … SELECT."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv(row[c]) for c in COLUMNS])
    buffer.seek(0)
    column_list = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS demo_incident_load "
            f"ON COMMIT DELETE ROWS AS SELECT {column_list} FROM incidents_incident WITH NO DATA"
        )
        cursor.cursor.copy_expert(f"COPY demo_incident_load ({column_list}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                                  buffer)
        # No stored search document: these rows have no comments, so their words are searched
        # through inc_words_gin alone (core.search, `row_index`).
        cursor.execute(f"INSERT INTO incidents_incident ({column_list}) SELECT {column_list} FROM demo_incident_load")


def _csv(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _stories(ctx, world, count):
    """Incidents with a real history: opened, worked, commented, resolved through the services."""
    rng = ctx.rng
    for index in range(count):
        sub_slug, title, description, resolution = TEMPLATES[index % len(TEMPLATES)]
        subcategory = world.categories[sub_slug]
        caller = world.end_users[index % len(world.end_users)]
        opened = world.now - timedelta(days=rng.randrange(0, 60), hours=rng.randrange(0, 24))
        with transaction.atomic():
            incident = services.open_incident(
                actor=caller, channel=Channel.PORTAL if index % 2 else Channel.EMAIL, caller=caller, title=title,
                description=description, impact=rng.choice([1, 2, 3]), urgency=rng.choice([1, 2, 3]),
                category=subcategory.parent, subcategory=subcategory,
                service=world.services[index % len(world.services)] if world.services else None, now=opened,
            )
            if index % 8 == 0:
                continue  # stays new
            group = incident.assignment_group or world.teams[0]
            members = [m for m in world.agents if m.pk in set(world.members.get(group.pk, []))]
            agent = members[index % len(members)] if members else None
            at = opened + timedelta(minutes=20)
            if agent is not None:
                incident = services.assign(incident, actor=agent, channel=Channel.WEB, group=group, person=agent,
                                           now=at)
            actor = agent or world.agents[0]
            incident = services.transition(incident, actor=actor, channel=Channel.WEB, target="in_progress", now=at)
            services.comment(incident, actor=actor, channel=Channel.WEB, now=at + timedelta(minutes=5),
                             body="확인 중입니다. 잠시만 기다려 주세요.", notify=False)
            services.comment(incident, actor=actor, channel=Channel.WEB, now=at + timedelta(minutes=6),
                             body="Checked monitoring: related alerts on the service around the reported time.",
                             internal=True, notify=False)
            incident.refresh_from_db()
            if index % 8 == 1:
                services.transition(incident, actor=actor, channel=Channel.WEB, target="on_hold",
                                    on_hold_reason="awaiting_caller", now=at + timedelta(hours=1))
                continue
            if index % 8 == 2:
                continue
            resolved_at = at + timedelta(hours=rng.randrange(1, 30))
            incident = services.resolve(incident, actor=actor, channel=Channel.WEB, code="solved_permanently",
                                        notes=resolution, now=resolved_at)
            if index % 8 >= 5:
                services.close(incident, actor=caller, channel=Channel.PORTAL, now=resolved_at + timedelta(days=1))
    # One major incident with children, the way a real outage looks on the desk.
    with transaction.atomic():
        major = services.open_incident(
            actor=world.agents[0], channel=Channel.WEB, caller=world.end_users[0], is_major=True, impact=1, urgency=1,
            title="[주요 장애] 그룹웨어 전사 접속 불가", description="09:05부터 전 직원이 그룹웨어에 접속할 수 없습니다.",
            category=world.categories["software"], subcategory=world.categories["groupware"],
            now=world.now - timedelta(hours=2))
        for offset in range(3):
            services.open_incident(
                actor=world.end_users[offset + 1], channel=Channel.PORTAL, title="그룹웨어 접속이 안 돼요",
                caller=world.end_users[offset + 1], now=world.now - timedelta(hours=1, minutes=50 - offset * 5))
        children = Incident.objects.filter(title="그룹웨어 접속이 안 돼요", parent=None).order_by("-pk")[:3]
        for child in children:
            services.update_incident(child, actor=world.agents[0], channel=Channel.WEB, changes={"parent": major})
    search.refresh(list(Incident.objects.order_by("-pk").values_list("pk", flat=True)[:count + 10]))
