"""Demo teams, organisations and one login per role (password: DEMO_PASSWORD), an auditor whose
account runs out a year after the seed, and an information security team of one."""

import datetime as dt

from django.utils import timezone

from accounts.models import Organisation, Team, User
from accounts.roles import Role
from accounts.services import upsert_user
from core import demo
from core.demo import say

DEMO_PASSWORD = "demo-pass-2026"

TEAMS = [
    ("Service Desk", "First-line support for every service."),
    ("Network Operations", "Routers, switches, firewalls, VPN."),
    ("Server Operations", "Physical hosts, virtualisation, storage."),
    ("Database Administration", "PostgreSQL, Oracle, backups."),
    ("Application Support", "ERP, groupware, HR and finance applications."),
    ("Security Operations", "Identity, access and security incidents."),
]
ORGANISATIONS = [("Finance Department", "finance"), ("Human Resources", "hr"), ("Sales", "sales"),
                 ("Seoul Branch Office", "seoul-branch"), ("Busan Branch Office", "busan-branch")]
AGENTS = [("kim.minjun", "Kim Min-jun"), ("lee.seoyeon", "Lee Seo-yeon"), ("park.jihoon", "Park Ji-hoon"),
          ("choi.yuna", "Choi Yu-na"), ("jung.hyunwoo", "Jung Hyun-woo"), ("kang.soyeon", "Kang So-yeon"),
          ("yoon.taeyang", "Yoon Tae-yang"), ("han.jiwoo", "Han Ji-woo"), ("oh.sehun", "Oh Se-hun"),
          ("shin.eunji", "Shin Eun-ji"), ("lim.dohyun", "Lim Do-hyun"), ("song.haeun", "Song Ha-eun")]
END_USERS = ["Jang Min-seo", "Kwon Ji-ho", "Hwang Seo-jin", "Ahn Ye-jin", "Cho Woo-jin", "Yoo Na-rae",
             "Moon Sung-min", "Bae Su-ah", "Baek Jun-seo", "Heo Da-eun", "Nam Gi-tae", "Seo Hye-rin",
             "Jeon Hyun-soo", "Ryu Ji-an", "Go Eun-bi", "Son Min-ho", "Yang Chae-won", "Noh Jae-hyun",
             "Ha Yoo-jin", "Kwak Tae-min", "Sung Bo-ra", "Cha Seung-woo", "Joo Hee-jin", "Woo Sang-hoon"]

demo.korean({
    "Service Desk": "서비스 데스크", "First-line support for every service.": "모든 서비스의 1선 지원",
    "Network Operations": "네트워크 운영", "Routers, switches, firewalls, VPN.": "라우터, 스위치, 방화벽, VPN",
    "Server Operations": "서버 운영", "Physical hosts, virtualisation, storage.": "물리 서버, 가상화, 스토리지",
    "Database Administration": "데이터베이스 관리", "PostgreSQL, Oracle, backups.": "PostgreSQL, Oracle, 백업",
    "Application Support": "애플리케이션 지원",
    "ERP, groupware, HR and finance applications.": "ERP, 그룹웨어, 인사·재무 애플리케이션",
    "Security Operations": "보안 운영", "Identity, access and security incidents.": "계정, 접근 권한, 보안 사고",
    "Finance Department": "재무팀", "Human Resources": "인사팀", "Sales": "영업팀",
    "Seoul Branch Office": "서울지점", "Busan Branch Office": "부산지점",
    "IT Asset Management": "IT 자산 관리",
    "Laptops, monitors, phones and peripherals: stock, imaging, delivery.": "노트북, 모니터, 전화기와 주변기기: 재고, 이미지 설치, 배송",
    "Identity & Access": "계정 관리",
    "Accounts, groups, mailboxes and access rights.": "계정, 그룹, 메일함과 접근 권한",
    "Facilities": "시설 관리", "Access cards, desks, meeting rooms and building services.": "출입카드, 좌석, 회의실과 건물 서비스",
    "Demo Requester": "데모 요청자", "Demo Agent": "데모 상담원", "Demo Manager": "데모 관리자",
    "Demo Administrator": "데모 시스템 관리자",
    "Demo Auditor": "데모 감사인", "Demo Security Officer": "데모 보안 담당자",
    "Information Security": "정보보안팀",
    "Sees and handles information security incidents (ISO/IEC 20000-1 8.7.3).":
        "정보보안 사고를 보고 처리합니다 (ISO/IEC 20000-1 8.7.3).",
    # people's names as Koreans write them (family name first, no space)
    "Kim Min-jun": "김민준", "Lee Seo-yeon": "이서연", "Park Ji-hoon": "박지훈", "Choi Yu-na": "최유나",
    "Jung Hyun-woo": "정현우", "Kang So-yeon": "강소연", "Yoon Tae-yang": "윤태양", "Han Ji-woo": "한지우",
    "Oh Se-hun": "오세훈", "Shin Eun-ji": "신은지", "Lim Do-hyun": "임도현", "Song Ha-eun": "송하은",
    "Jang Min-seo": "장민서", "Kwon Ji-ho": "권지호", "Hwang Seo-jin": "황서진", "Ahn Ye-jin": "안예진",
    "Cho Woo-jin": "조우진", "Yoo Na-rae": "유나래", "Moon Sung-min": "문성민", "Bae Su-ah": "배수아",
    "Baek Jun-seo": "백준서", "Heo Da-eun": "허다은", "Nam Gi-tae": "남기태", "Seo Hye-rin": "서혜린",
    "Jeon Hyun-soo": "전현수", "Ryu Ji-an": "류지안", "Go Eun-bi": "고은비", "Son Min-ho": "손민호",
    "Yang Chae-won": "양채원", "Noh Jae-hyun": "노재현", "Ha Yoo-jin": "하유진", "Kwak Tae-min": "곽태민",
    "Sung Bo-ra": "성보라", "Cha Seung-woo": "차승우", "Joo Hee-jin": "주희진", "Woo Sang-hoon": "우상훈",
})

# The groups that fulfil catalog requests (issue 13), beside the six above; created by the catalog
# demo through catalog_teams() so that `seed_demo --only accounts` keeps its six teams.
CATALOG_TEAMS = [
    ("IT Asset Management", "Laptops, monitors, phones and peripherals: stock, imaging, delivery.",
     ["agent", "park.jihoon", "oh.sehun"]),
    ("Identity & Access", "Accounts, groups, mailboxes and access rights.", ["agent", "jung.hyunwoo", "shin.eunji"]),
    ("Facilities", "Access cards, desks, meeting rooms and building services.", ["choi.yuna", "song.haeun"]),
]

DEMO_LOGINS = [("enduser", Role.END_USER), ("agent", Role.AGENT), ("manager", Role.MANAGER), ("admin", Role.ADMIN),
               ("auditor", Role.AUDITOR), ("security", Role.AGENT)]
# Only its members see security incidents (incidents.security): one officer, so that `agent` and
# the other demo agents show what an agent outside the team does not see.
SECURITY_TEAM = ("Information Security", "Sees and handles information security incidents (ISO/IEC 20000-1 8.7.3).")


def seed(ctx):
    orgs = [Organisation.objects.get_or_create(code=code, defaults={"name": say(name)})[0]
            for name, code in ORGANISATIONS]
    teams = []
    for name, description in TEAMS:
        team, _ = Team.objects.get_or_create(name=say(name), defaults={"description": say(description)})
        teams.append(team)
    upsert_user("enduser", role=Role.END_USER, email="enduser@example.com", password=DEMO_PASSWORD,
                organisation=orgs[0].name, first_name="Demo", last_name="Requester", display_name=say("Demo Requester"))
    upsert_user("agent", role=Role.AGENT, email="agent@example.com", password=DEMO_PASSWORD,
                teams=[say("Service Desk"), say("Application Support")], display_name=say("Demo Agent"))
    manager = upsert_user("manager", role=Role.MANAGER, email="manager@example.com", password=DEMO_PASSWORD,
                          teams=[say("Service Desk")], display_name=say("Demo Manager"))
    upsert_user("admin", role=Role.ADMIN, email="admin@example.com", password=DEMO_PASSWORD,
                teams=[say("Service Desk")], display_name=say("Demo Administrator"))
    _auditor_and_security(manager)
    agents = []
    for index, (username, name) in enumerate(AGENTS):
        user = upsert_user(username, role=Role.MANAGER if index < 2 else Role.AGENT,
                           email=f"{username}@example.com", display_name=say(name),
                           teams=[teams[index % len(teams)].name, teams[(index + 1) % len(teams)].name])
        agents.append(user)
    for index, team in enumerate(teams):
        if team.manager_id is None:
            team.manager = manager if index == 0 else agents[index % 2]
            team.save(update_fields=["manager"])
    end_users = []
    for index, name in enumerate(END_USERS):
        username = name.lower().replace(" ", ".").replace("-", "")
        end_users.append(upsert_user(username, role=Role.END_USER, email=f"{username}@example.com",
                                     display_name=say(name), organisation=orgs[index % len(orgs)].name))
    _line_managers(manager, agents)
    ctx.shared.update(
        teams=teams, organisations=orgs, agents=[User.objects.get(username="agent"), *agents],
        end_users=[User.objects.get(username="enduser"), *end_users],
        manager=manager, admin=User.objects.get(username="admin"),
    )
    ctx.log(f"  accounts: {len(teams) + 1} teams, {len(agents) + 4} staff, an auditor, "
            f"{len(end_users) + 1} end users")


def _auditor_and_security(manager, today=None):
    """A certification auditor (reads the desk and the API, writes nothing) whose account ends a
    year after the seed, as an auditor's engagement would; and the security team with its officer."""
    today = today or timezone.localdate()
    try:
        valid_until = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        valid_until = today + dt.timedelta(days=365)
    upsert_user("auditor", role=Role.AUDITOR, email="auditor@example.com", password=DEMO_PASSWORD,
                display_name=say("Demo Auditor"), valid_until=valid_until)
    name, description = SECURITY_TEAM
    team, _created = Team.objects.get_or_create(name=say(name), defaults={
        "description": say(description), "is_security": True, "manager": manager})
    upsert_user("security", role=Role.AGENT, email="security@example.com", password=DEMO_PASSWORD,
                teams=[team.name], display_name=say("Demo Security Officer"))


def _line_managers(manager, agents):
    """The demo "manager" is every end user's line manager (catalog items that need the line
    manager's approval land in that login's inbox); agents report to the first two managers,
    and those two to "manager". Only people without a manager get one (an edit survives)."""
    staff_managers = {a.pk for a in agents[:2]}
    end_users = User.objects.filter(groups__name=Role.END_USER, manager__isnull=True).exclude(pk=manager.pk)
    end_users.update(manager=manager)
    User.objects.filter(pk__in=staff_managers, manager__isnull=True).update(manager=manager)
    User.objects.filter(username="agent", manager__isnull=True).update(manager=agents[0])
    for index, agent in enumerate(agents[2:]):
        User.objects.filter(pk=agent.pk, manager__isnull=True).update(manager=agents[index % 2])


def catalog_teams(ctx):
    """The fulfilment groups the catalog's plans assign tasks to (get-or-create; members added,
    never removed), leaving {English name: team} in ctx.shared["catalog_teams"]."""
    teams = {}
    managers = list(User.objects.filter(username__in=["kim.minjun", "lee.seoyeon"]).order_by("username"))
    for index, (name, description, members) in enumerate(CATALOG_TEAMS):
        team, _created = Team.objects.get_or_create(name=say(name), defaults={"description": say(description)})
        team.members.add(*User.objects.filter(username__in=members))
        if team.manager_id is None and managers:
            team.manager = managers[index % len(managers)]
            team.save(update_fields=["manager"])
        teams[name] = team
    for name, _description in TEAMS:
        team = Team.objects.filter(name=say(name)).first()
        if team is not None:
            teams[name] = team
    ctx.shared["catalog_teams"] = teams
    return teams
