"""Demo requests in every state, and the benchmark size (seed_demo --requests N).

Small sizes go through fulfilment.services like real work: people order from the catalog (one
item or a cart, for themselves or on someone's behalf), line managers and groups approve or
reject, the fulfilment groups start, complete or fail their tasks, requesters cancel and close.
A scripted set of stories covers every request and task state (a request placed by e-mail and not
yet triaged is the only "submitted" one: the services move an order straight on to approval or
fulfilment); the rest of the count takes random walks. Large sizes (200,000 requests) take the
set-based path in fulfilment.demo_bulk. Idempotent: requests are only added up to the count.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404

from accounts.models import Team, User
from accounts.roles import Role
from catalog import demo as catalog_demo
from catalog.formschema import AnswersInvalid
from catalog.models import CatalogItem
from core import demo
from core import services as core_services
from core.choices import Channel
from core.demo import say
from core.exceptions import DomainError
from fulfilment import services
from fulfilment.choices import RequestState as S, TaskState as T
from fulfilment.models import Request, Task

BULK_THRESHOLD = 500
SYSTEM = Channel.SYSTEM

demo.korean({
    "Service requests: fulfilment within 5 working days": "서비스 요청: 5 근무일 내 이행",
    "OLA: fulfilment tasks within 2 working days": "OLA: 이행 작업 2 근무일 내 완료",
    "Approved. Please go ahead.": "승인합니다. 진행해 주세요.",
    "OK within this quarter's budget.": "이번 분기 예산 범위 내에서 승인합니다.",
    "Checked against the access policy.": "접근 통제 정책에 맞는지 확인했습니다.",
    "Please check with your team lead which rights you really need, and order again.":
        "필요한 권한 범위를 팀장과 다시 확인한 뒤 재신청해 주세요.",
    "No longer needed: the project was postponed.": "프로젝트가 연기되어 더 이상 필요하지 않습니다.",
    "Moving date changed; I will order again.": "이사 일정이 바뀌어 다시 신청하겠습니다.",
    "Started; expect it tomorrow morning.": "작업을 시작했습니다. 내일 오전에 완료 예정입니다.",
    "Done and checked with the requester.": "완료하고 요청자와 확인했습니다.",
    "Out of stock: the supplier delivers next week.": "재고가 없습니다. 공급업체 입고 예정은 다음 주입니다.",
    "Please bring your ID card when you collect it.": "수령하실 때 신분증을 지참해 주세요.",
    "For the new colleague starting next Monday.": "다음 주 월요일 입사하는 직원용입니다.",
    "Ordered by phone through the Service Desk.": "서비스 데스크에 전화로 요청했습니다.",
    "Please send me a laptop and a second monitor.": "노트북과 보조 모니터를 보내 주세요.",
    "When will the laptop arrive? I have a customer visit on Friday.": "노트북은 언제 받을 수 있을까요? 금요일에 고객 방문이 있습니다.",
    "It is being imaged now; we will bring it on Thursday afternoon.": "지금 이미지 설치 중이며 목요일 오후에 가져다 드리겠습니다.",
})


# Agreements for requests and tasks (issue 13, item 5), beside the incident ones of sla.demo.
AGREEMENTS = [
    # (name, model, agreement kind, {priority: (response, resolution)} in business minutes, pause states)
    ("Service requests: fulfilment within 5 working days", "request", "sla", {3: (4 * 60, 5 * 9 * 60)},
     ["awaiting_approval"]),
    ("OLA: fulfilment tasks within 2 working days", "task", "ola", {3: (2 * 60, 2 * 9 * 60)}, ["pending"]),
]


def _agreements():
    """The request SLA and the task OLA (clocks in the KR office calendar when sla.demo made it;
    the engine pauses a request awaiting approval and a task whose stage has not started)."""
    from django.contrib.contenttypes.models import ContentType

    from sla import services as sla_services
    from sla.models import BusinessCalendar, SLADefinition

    calendar = BusinessCalendar.objects.filter(name=say("KR office 09:00–18:00")).first()
    for name, model, kind, targets, pause in AGREEMENTS:
        if SLADefinition.objects.filter(name=say(name)).exists():
            continue
        sla_services.save_definition(None, actor=None, channel=SYSTEM, fields={
            "name": say(name), "ticket_type": ContentType.objects.get_by_natural_key("fulfilment", model),
            "calendar": calendar, "agreement": kind, "pause_states": pause,
        }, targets=[{"priority": p, "response_minutes": r, "resolution_minutes": t} for p, (r, t) in targets.items()])


class _World:
    """Who orders, who decides and who works, looked up once."""

    def __init__(self, ctx):
        self.rng = ctx.rng
        self.today = date.today()
        self.items = ctx.shared.get("catalog_items") or {
            item.name: item for item in CatalogItem.objects.filter(name__in=list(catalog_demo.specs_by_name()))}
        self.specs = catalog_demo.specs_by_name()
        # Read afresh: the handles in ctx.shared predate the line managers accounts.demo gives them.
        ids = [u.pk for u in ctx.shared.get("end_users") or ()] or list(User.objects.filter(
            groups__name=Role.END_USER, is_active=True).order_by("pk").values_list("pk", flat=True)[:30])
        self.end_users = list(User.objects.filter(pk__in=ids, is_active=True, manager__isnull=False)
                              .select_related("organisation").order_by("pk"))
        self.agent = User.objects.filter(username="agent").first()
        self.manager = User.objects.filter(username="manager").first()
        self.members = {}
        for team_id, user_id in Team.members.through.objects.filter(user__is_active=True).values_list(
                "team_id", "user_id"):
            self.members.setdefault(team_id, []).append(user_id)
        self.users = User.objects.in_bulk([uid for ids in self.members.values() for uid in ids])
        self._options = {}

    def options(self, user):
        """(user ids, CI ids) this person may pick in a form (the pickers' own rule)."""
        if user.pk not in self._options:
            try:
                from core import pickers

                people = list(pickers.get("person").options(user).values_list("pk", flat=True)[:50])
                cis = list(pickers.get("ci").options(user).values_list("pk", flat=True)[:50])
            except (KeyError, LookupError, AttributeError):
                people = [u.pk for u in self.end_users]
                cis = []
            self._options[user.pk] = (people, cis)
        return self._options[user.pk]

    def line(self, name, requester, quantity=1, **answers):
        item = self.items[name]
        people, cis = self.options(requester)
        sample = catalog_demo.sample_answers(self.specs[name], self.rng, users=people, cis=cis, today=self.today,
                                             fixed=answers)
        return services.OrderLine(catalog_item=item, answers=sample, quantity=quantity)

    def worker(self, task):
        ids = self.members.get(task.assignment_group_id) or []
        return self.users.get(ids[task.pk % len(ids)]) if ids else self.agent


def _order(world, requester, lines, *, requested_for=None, description="", channel="portal"):
    return services.submit_request(requester, lines=lines, requested_for=requested_for,
                                   description=say(description) if description else "", channel=channel)


def _approvers(request):
    eligible = sorted({uid for item in request.items.all() for stage in item.approval_plan or ()
                       for uid in stage.get("eligible", ())})
    return list(User.objects.filter(pk__in=eligible).order_by("pk"))


def _approve(world, request, *, stop_after=None):
    """Approve with every eligible person in turn until nothing waits (or `stop_after` decisions)."""
    decisions = 0
    for _round in range(6):
        request = Request.objects.get(pk=request.pk)
        if request.state != S.AWAITING_APPROVAL:
            break
        for approver in _approvers(request):
            if stop_after is not None and decisions >= stop_after:
                return request
            try:
                _written, request = services.decide(
                    approver, request, decision="approve", channel=Channel.WEB,
                    comment=say(world.rng.choice(["Approved. Please go ahead.", "OK within this quarter's budget.",
                                                  "Checked against the access policy.", ""])))
                decisions += 1
            except (DomainError, PermissionDenied, Http404):
                continue
    return Request.objects.get(pk=request.pk)


def _reject(world, request):
    for approver in _approvers(request):
        try:
            return services.decide(approver, request, decision="reject", channel=Channel.WEB, comment=say(
                "Please check with your team lead which rights you really need, and order again."))[1]
        except (DomainError, PermissionDenied, Http404):
            continue
    return request


def _work(world, request, *, done=None, start=True, fail=False):
    """Work the open tasks stage after stage: complete up to `done` of them (None: all), then start
    one more if `start` and leave the rest open (later stages stay pending); `fail` fails the
    first task instead. A step tracked by its standard change completes with the change."""
    budget = done
    for _round in range(8):
        tasks = [t for t in Task.objects.filter(request=request, state__in=[T.OPEN, T.IN_PROGRESS]).order_by("pk")
                 if not t.change_id]
        if not tasks:
            break
        for task in tasks:
            if budget == 0:
                if start and task.state == T.OPEN:
                    worker = world.worker(task)
                    services.update_task(worker, task, state=T.IN_PROGRESS, assigned_to=worker, channel=Channel.WEB,
                                         notes=say("Started; expect it tomorrow morning."))
                return Request.objects.get(pk=request.pk)
            worker = world.worker(task)
            if task.state == T.OPEN:
                task = services.update_task(worker, task, state=T.IN_PROGRESS, assigned_to=worker, channel=Channel.WEB,
                                            notes=say("Started; expect it tomorrow morning."))
            if fail:
                services.update_task(worker, task, state=T.FAILED, channel=Channel.WEB,
                                     notes=say("Out of stock: the supplier delivers next week."))
                return Request.objects.get(pk=request.pk)
            services.update_task(worker, task, state=T.DONE, channel=Channel.WEB,
                                 notes=say("Done and checked with the requester."))
            if budget is not None:
                budget -= 1
    return Request.objects.get(pk=request.pk)


def _stories(world):
    """Scripted requests, one per state worth showing; returns how many were placed."""
    users, rng = world.end_users, world.rng
    me, colleague, hr_person = users[0], users[1 % len(users)], next(
        (u for u in users if getattr(u.organisation, "code", "") == "hr"), users[0])
    placed = []

    def story(function):
        try:
            with transaction.atomic():
                placed.append(function())
        except (DomainError, PermissionDenied, Http404, AnswersInvalid) as exc:
            world.log(f"  fulfilment: a story was skipped ({exc})")

    # The laptop story of the issue: ordered, approved by the line manager, prepared, delivered, closed.
    def laptop_closed():
        request = _order(world, me, [world.line("New laptop", me, model="standard14", reason="new_hire")])
        request = _work(world, _approve(world, request))
        return services.close_request(me, request, channel=Channel.PORTAL)
    story(laptop_closed)
    # A cart of three: the monitors and peripherals are on their way while the software waits for approval.
    story(lambda: _work(world, _order(world, colleague, [
        world.line("Monitor", colleague, quantity=2, size="27"), world.line("Keyboard, mouse or headset", colleague),
        world.line("Software installation", colleague, title="hwp")],
        description="Please send me a laptop and a second monitor."), done=1))
    # Approved; IT Asset Management is preparing the laptop, the delivery step is pending; the
    # requester asks when it comes and the desk answers.
    def laptop_in_fulfilment():
        request = _work(world, _approve(world, _order(world, colleague, [
            world.line("New laptop", colleague, model="performance16", reason="replacement")])), done=0)
        core_services.add_comment(request, actor=colleague, channel=Channel.PORTAL,
                                  body=say("When will the laptop arrive? I have a customer visit on Friday."))
        core_services.add_comment(request, actor=world.agent, channel=Channel.WEB,
                                  body=say("It is being imaged now; we will bring it on Thursday afternoon."))
        return request
    story(laptop_in_fulfilment)
    # Placed on someone's behalf: the Service Desk takes a password reset by phone.
    story(lambda: _order(world, world.agent, [world.line("Password reset", world.agent, system="windows")],
                         requested_for=users[2 % len(users)], channel=Channel.WEB,
                         description="Ordered by phone through the Service Desk."))
    # An end user orders an access card for a new colleague (on behalf, awaiting the line manager).
    teammate = next((u for u in users if u.pk in world.options(me)[0] and u.pk != me.pk), me)
    story(lambda: _order(world, me, [world.line("Access card", me, kind="new", areas=["office"], card_for=teammate.pk)],
                         requested_for=teammate, description="For the new colleague starting next Monday."))
    # Rejected with a reason by the line manager.
    story(lambda: _reject(world, _order(world, users[4 % len(users)], [world.line("Business system access", users[4 % len(users)])])))
    # Two stages in order: the line manager approved, Security Operations still to decide.
    story(lambda: _approve(world, _order(world, users[5 % len(users)], [world.line("New user account", users[5 % len(users)])]),
                           stop_after=1))
    # Every Security Operations member must agree: two of them have.
    story(lambda: _approve(world, _order(world, users[6 % len(users)], [world.line("Local administrator rights", users[6 % len(users)])]),
                           stop_after=2))
    # Quorum of two, then a step raising a standard change from the firewall template.
    def firewall():
        line = world.line("Firewall rule change", users[7 % len(users)], duration="temporary")
        line.files = {"diagram": SimpleUploadedFile(
            "firewall-request.txt", say("app-erp-01 (10.20.30.0/24) → db-erp-01 (10.40.1.15) TCP 5432").encode(),
            content_type="text/plain")}
        return _approve(world, _order(world, users[7 % len(users)], [line]))
    story(firewall)
    # Withdrawn while awaiting approval, and a desk move cancelled while being fulfilled.
    story(lambda: services.cancel_request(users[8 % len(users)], _order(world, users[8 % len(users)], [
        world.line("VPN access", users[8 % len(users)])]), reason=say("No longer needed: the project was postponed."),
        channel=Channel.PORTAL))
    story(lambda: services.cancel_request(users[9 % len(users)], _approve(world, _order(world, users[9 % len(users)], [
        world.line("Desk move", users[9 % len(users)])])), reason=say("Moving date changed; I will order again."),
        channel=Channel.PORTAL))
    # A failed task (out of stock), the item still in fulfilment.
    story(lambda: _work(world, _order(world, users[10 % len(users)], [world.line("Monitor", users[10 % len(users)])]),
                        fail=True))
    # The leaver's plan: accounts disabled, then equipment and card collected in parallel (one done).
    story(lambda: _work(world, _order(world, hr_person, [world.line("Leaver: disable accounts and collect equipment",
                                                                     hr_person)]), done=2, start=False))
    # Fulfilled, waiting for the requester to close it.
    story(lambda: _work(world, _approve(world, _order(world, users[11 % len(users)], [
        world.line("VPN access", users[11 % len(users)])]))))
    return placed


# Random walks for the rest of the count: (target, weight).
WALKS = [(S.AWAITING_APPROVAL, 3), (S.IN_FULFILMENT, 4), (S.FULFILLED, 2), (S.CLOSED, 6), (S.REJECTED, 1),
         (S.CANCELLED, 1)]


def _walk(world, index):
    rng = world.rng
    requester = world.end_users[index % len(world.end_users)]
    orderable = list(CatalogItem.objects.orderable_by(requester).filter(pk__in=[i.pk for i in world.items.values()])
                     .values_list("name", flat=True))
    names = rng.sample(orderable, 2 if rng.random() < 0.2 else 1)
    lines = [world.line(name, requester) for name in names]
    target = rng.choices([t for t, _w in WALKS], weights=[w for _t, w in WALKS])[0]
    request = _order(world, requester, lines)
    if target == S.AWAITING_APPROVAL:
        return request
    if target == S.REJECTED:
        return _reject(world, request)
    if target == S.CANCELLED:
        return services.cancel_request(requester, request, reason=say("No longer needed: the project was postponed."),
                                       channel=Channel.PORTAL)
    request = _approve(world, request)
    if target == S.IN_FULFILMENT:
        return _work(world, request, done=rng.randint(0, 1), start=rng.random() < 0.6)
    request = _work(world, request)
    if target == S.CLOSED and request.state == S.FULFILLED:
        request = services.close_request(requester, request, channel=Channel.PORTAL)
    return request


def _submitted(world):
    """A request that came in by e-mail and is not triaged yet: the only way one rests in
    "submitted" (every order placed through the services moves on at once)."""
    requester = world.end_users[-1]
    return core_services.create_ticket(
        Request, actor=requester, channel=Channel.EMAIL, title=say("Please send me a laptop and a second monitor."),
        description="", requested_by=requester, requested_for=requester,
        values={"channel": "email", "state": S.SUBMITTED})


def seed(ctx):
    _agreements()
    wanted = ctx.counts.get("requests", 40)
    missing = wanted - Request.objects.count()
    if missing <= 0:
        ctx.log(f"  fulfilment: {Request.objects.count()} requests already present")
        return
    if wanted > BULK_THRESHOLD:
        from fulfilment.demo_bulk import bulk_requests

        bulk_requests(ctx, missing)
    else:
        world = _World(ctx)
        world.log = ctx.log
        if not world.end_users or not world.items:
            ctx.log("  fulfilment: no end users with line managers or no catalog; run accounts and catalog first")
            return
        fresh = not Request.objects.exists()
        if fresh:
            with transaction.atomic():
                _submitted(world)
            _stories(world)
        for index in range(max(0, wanted - Request.objects.count())):
            try:
                with transaction.atomic():
                    _walk(world, index)
            except (DomainError, PermissionDenied, Http404, AnswersInvalid) as exc:
                ctx.log(f"  fulfilment: a walk was skipped ({exc})")
    counts = {s: Request.objects.filter(state=s).count() for s in S}
    ctx.log("  fulfilment: " + ", ".join(f"{k} {v}" for k, v in counts.items()) +
            f"; {Task.objects.count()} tasks")
