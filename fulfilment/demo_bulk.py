"""Benchmark requests, set-based (seed_demo --requests 200000): 200,000 requests with their
requested items, approvals and exactly three tasks per request on average (600,000 tasks).

Per batch of 20,000 requests: the rows are generated in Python (consistent with the life cycle:
an approved item has its approvals, a closed one its tasks done, an item in fulfilment its earlier
stages done, its current stage open or in progress and its later ones pending), ids come from the
tables' sequences and numbers from one NumberSequence.allocate call per type, then each table is
filled by COPY into a temporary table and one INSERT … SELECT, which also writes the search
document. No audit rows, SLA clocks or events (the same trade as the incident benchmark seed).
"""

import csv
import io
import json
from collections import defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import Team, User
from accounts.roles import Role
from catalog import demo as catalog_demo
from catalog.models import CatalogItem, localized
from cmdb.models import ConfigurationItem
from core.demo import say
from core.models import NumberSequence
from core.search import SEARCH_CONFIG
from fulfilment.choices import RequestState as S, TaskState as T
from fulfilment.models import ApprovalDue, Request, RequestApproval, RequestItem, Task

BATCH = 20_000
TASKS_PER_REQUEST = 3
# (state, weight): most requests are long closed; the open ones are recent.
STATES = [(S.CLOSED, 58), (S.FULFILLED, 8), (S.IN_FULFILMENT, 14), (S.AWAITING_APPROVAL, 9), (S.REJECTED, 4),
          (S.CANCELLED, 5), (S.SUBMITTED, 2)]
WITH_TASKS = {S.CLOSED, S.FULFILLED, S.IN_FULFILMENT}
REJECTION = "Please check with your team lead which rights you really need, and order again."


class _Catalog:
    """What the generator needs to know about the catalog, loaded once."""

    def __init__(self, rng):
        items = list(CatalogItem.objects.filter(active=True).prefetch_related(
            "approval_stages", "task_templates", "organisations", "groups").order_by("pk"))
        self.items = {item.pk: item for item in items}
        self.templates = {item.pk: sorted(item.task_templates.all(), key=lambda t: (t.stage, t.order, t.pk))
                          for item in items}
        self.stages = {item.pk: sorted(item.approval_stages.all(), key=lambda s: s.order) for item in items}
        specs = catalog_demo.specs_by_name()
        self.base_spec = {}
        for item in items:
            base = next((name for name in specs if item.name == name or item.name.startswith(name + " (")), None)
            if base:
                self.base_spec[item.pk] = specs[base]
        self.members = defaultdict(list)
        for team_id, user_id in Team.members.through.objects.filter(user__is_active=True).values_list(
                "team_id", "user_id"):
            self.members[team_id].append(user_id)
        people = list(User.objects.filter(groups__name=Role.END_USER, is_active=True).values_list("pk", flat=True))
        cis = list(ConfigurationItem.objects.business_services().values_list("pk", flat=True)[:50])
        today = timezone.localdate()
        # A few answer sets per item, reused: answers are realistic, generating 200,000 is not needed.
        self.answers = {pk: [catalog_demo.sample_answers(self.base_spec[pk], rng, users=people, cis=cis, today=today)
                             for _ in range(4)] if pk in self.base_spec else [{}] for pk in self.items}
        self.korean = (get_language() or "").startswith("ko")

    def orderable(self, user):
        ids = set(CatalogItem.objects.orderable_by(user).values_list("pk", flat=True))
        by_tasks = defaultdict(list)
        approved = []
        for pk in sorted(ids & set(self.items)):
            count = len(self.templates[pk])
            if 1 <= count <= 3:
                by_tasks[count].append(pk)
            if self.stages[pk]:
                approved.append(pk)
        return by_tasks, approved

    def name(self, pk):
        item = self.items[pk]
        return (item.name_ko or item.name) if self.korean else item.name


def _plan_builder():
    """The engine's approval-plan snapshot (fulfilment.approvals.build_plan) when it has one."""
    try:
        from fulfilment.approvals import build_plan, manager_approvers
    except ImportError:
        return None, None
    return build_plan, manager_approvers


class _Generator:
    def __init__(self, ctx, catalog):
        self.rng, self.now, self.catalog = ctx.rng, ctx.now, catalog
        self.requesters = list(User.objects.filter(groups__name=Role.END_USER, is_active=True,
                                                   manager__isnull=False).order_by("pk"))
        self.agents = list(User.objects.filter(groups__name__in=[Role.AGENT]).order_by("pk").values_list("pk", flat=True))
        self.orderable = {user.pk: catalog.orderable(user) for user in self.requesters}
        self.build_plan, manager_approvers = _plan_builder()
        managers = None

        def managers_once():
            nonlocal managers
            if managers is None:
                managers = manager_approvers() if manager_approvers else frozenset()
            return managers

        self.managers = managers_once
        self.plans = {}

    def plan(self, pk, requested_by, requested_for):
        key = (pk, requested_by.pk, requested_for.pk)
        if key not in self.plans:
            stages = self.catalog.stages[pk]
            if not stages:
                self.plans[key] = []
            elif self.build_plan is not None:
                self.plans[key] = self.build_plan(stages, requested_by=requested_by, requested_for=requested_for,
                                                  group_members=self.catalog.members, managers=self.managers)
            else:
                self.plans[key] = [{"order": s.order, "name": s.name, "approver": s.approver, "group": s.group_id,
                                    "mode": s.mode, "quorum": s.quorum, "fallback": False,
                                    "eligible": sorted(({requested_for.manager_id} if s.approver == "line_manager"
                                                        else set(self.catalog.members[s.group_id]))
                                                       - {requested_by.pk, requested_for.pk})} for s in stages]
        return self.plans[key]

    def cart(self, requester, state, tasks):
        by_tasks, approved = self.orderable[requester.pk]
        rng = self.rng
        if state not in WITH_TASKS:
            pool = approved if state in (S.AWAITING_APPROVAL, S.REJECTED) and approved else \
                [pk for ids in by_tasks.values() for pk in ids]
            return [rng.choice(pool) for _ in range(2 if rng.random() < 0.15 else 1)]
        cart, left = [], tasks
        while left > 0:
            pool = [pk for k, ids in by_tasks.items() if k <= left for pk in ids]
            if not pool:
                break
            pk = rng.choice(pool)
            cart.append(pk)
            left -= len(self.catalog.templates[pk])
        return cart

    def request(self, state, tasks):
        """(request row, [(item row, [approval rows], [task rows])]) for one request."""
        rng, now, catalog = self.rng, self.now, self.catalog
        rejection = say(REJECTION)
        requester = rng.choice(self.requesters)
        recent = state in (S.SUBMITTED, S.AWAITING_APPROVAL, S.IN_FULFILMENT)
        age = timedelta(days=rng.random() * 14) if recent else timedelta(days=365 * rng.random() ** 1.3 + 1)
        created = now - age - timedelta(minutes=rng.randrange(600))
        placed_by = requester
        if rng.random() < 0.05 and self.agents:  # placed by the desk on the person's behalf
            placed_by = User(pk=rng.choice(self.agents))
        cart = self.cart(requester, state, tasks)
        approved_at = created + timedelta(hours=rng.randint(1, 30)) if state in WITH_TASKS else None
        fulfilled_at = closed_at = None
        if state in (S.FULFILLED, S.CLOSED):
            fulfilled_at = min(approved_at + timedelta(hours=rng.randint(2, 80)), now)
        if state == S.CLOSED:
            closed_at = min(fulfilled_at + timedelta(days=rng.choice([0, 1, 3, 7])), now)
        updated = closed_at or fulfilled_at or approved_at or created
        title = ", ".join(catalog.name(pk) for pk in cart)
        request = {"title": title[:200], "description": "", "created_by_id": placed_by.pk, "created_at": created,
                   "updated_at": updated, "version": 1, "state": state, "requested_by_id": placed_by.pk,
                   "requested_for_id": requester.pk,
                   "channel": rng.choice(["portal", "portal", "portal", "api", "email"]),
                   "approved_at": approved_at, "fulfilled_at": fulfilled_at, "closed_at": closed_at}
        lines = []
        for position, pk in enumerate(cart):
            item = catalog.items[pk]
            plan = self.plan(pk, placed_by, requester)
            templates = catalog.templates[pk]
            line_state = state
            approvals, task_rows, current = [], [], 0
            if state in WITH_TASKS:
                for stage in plan:
                    votes = len(stage["eligible"]) if stage["mode"] == "all" else (stage.get("quorum") or 1)
                    for approver in stage["eligible"][:max(1, votes)]:
                        approvals.append({"round": 1, "stage_order": stage["order"], "stage_name": stage["name"],
                                          "approver_id": approver, "decision": "approve", "comment": "",
                                          "channel": "web", "created_at": approved_at})
                stage_numbers = sorted({t.stage for t in templates})
                if state == S.IN_FULFILMENT and stage_numbers:
                    current = rng.choice(stage_numbers)
                elif stage_numbers:
                    current = stage_numbers[-1]
                if state == S.IN_FULFILMENT and position and rng.random() < 0.5:
                    line_state = S.FULFILLED  # one item of a cart delivered, another on its way
                    current = stage_numbers[-1] if stage_numbers else 0
                task_rows = self.tasks(templates, line_state, current, approved_at, fulfilled_at, item)
            elif state == S.REJECTED:
                if plan and plan[0]["eligible"]:
                    approvals.append({"round": 1, "stage_order": plan[0]["order"], "stage_name": plan[0]["name"],
                                      "approver_id": plan[0]["eligible"][0], "decision": "reject",
                                      "comment": rejection, "channel": "web",
                                      "created_at": created + timedelta(hours=3)})
            if state == S.SUBMITTED:
                plan = []
            if state == S.AWAITING_APPROVAL and not plan:
                line_state = S.IN_FULFILMENT
            answers = rng.choice(catalog.answers[pk])
            line = {"catalog_item_id": pk, "quantity": 1 if item.max_quantity == 1 or rng.random() < 0.8 else 2,
                    "answers": answers, "state": line_state, "approval_round": 1, "current_stage": current,
                    "approval_plan": plan, "created_at": created, "updated_at": updated,
                    "rejection_reason": rejection if state == S.REJECTED else ""}
            lines.append((line, approvals, task_rows))
        return request, lines

    def tasks(self, templates, line_state, current, approved_at, fulfilled_at, item):
        rng, rows = self.rng, []
        at_current = [t for t in templates if t.stage == current]
        all_done = True
        for template in templates:
            members = self.catalog.members.get(template.assignment_group_id) or [None]
            opened = approved_at + timedelta(hours=(template.stage - 1) * 6)
            if line_state != S.IN_FULFILMENT or template.stage < current:
                state = T.DONE
            elif template.stage > current:
                state = T.PENDING
            else:
                state = rng.choice([T.OPEN] * 3 + [T.IN_PROGRESS] * 3 + [T.DONE] * 2 + [T.FAILED])
                if state == T.DONE and all_done and template is at_current[-1]:
                    state = T.OPEN  # the stage is not over: that is why the item is in fulfilment
                all_done = all_done and state == T.DONE
            assignee = rng.choice(members) if state in (T.IN_PROGRESS, T.DONE, T.FAILED) else None
            completed = None
            if state == T.DONE:
                completed = min(fulfilled_at or opened + timedelta(hours=rng.randint(1, 24)), self.now)
            rows.append({"title": localized(template, "name")[:200], "description": template.instructions,
                         "assignment_group_id": template.assignment_group_id, "assigned_to_id": assignee,
                         "created_by_id": None, "created_at": approved_at, "updated_at": completed or opened,
                         "version": 1, "template_id": template.pk, "stage": template.stage, "state": state,
                         "notes": "", "change_id": None,
                         "opened_at": None if state == T.PENDING else opened, "completed_at": completed})
        return rows


def bulk_requests(ctx, count):
    rng = ctx.rng
    catalog = _Catalog(rng)
    generator = _Generator(ctx, catalog)
    if not generator.requesters or not catalog.items:
        ctx.log("  fulfilment: no requesters with line managers or no catalog; run accounts and catalog first")
        return
    states = rng.choices([s for s, _w in STATES], weights=[w for _s, w in STATES], k=count)
    with_tasks = sum(1 for state in states if state in WITH_TASKS)
    budget = TASKS_PER_REQUEST * count
    share, extra = divmod(budget, max(1, with_tasks))
    done, seen_with_tasks = 0, 0
    while done < count:
        size = min(BATCH, count - done)
        built = []
        for state in states[done:done + size]:
            tasks = 0
            if state in WITH_TASKS:
                tasks = share + (1 if seen_with_tasks < extra else 0)
                seen_with_tasks += 1
            built.append(generator.request(state, tasks))
        _write(built)
        done += size
        ctx.log(f"    requests: {done}/{count}")
    _after(ctx)


def _ids(model, count):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{model._meta.db_table}', 'id')) "
                       "FROM generate_series(1, %s)", [count])
        return [row[0] for row in cursor.fetchall()]


def _write(built):
    with transaction.atomic():
        request_ids = _ids(Request, len(built))
        first_request = NumberSequence.allocate(Request.NUMBER_PREFIX, len(built))
        line_count = sum(len(lines) for _r, lines in built)
        item_ids = iter(_ids(RequestItem, line_count)) if line_count else iter(())
        task_count = sum(len(tasks) for _r, lines in built for _l, _a, tasks in lines)
        task_ids = iter(_ids(Task, task_count)) if task_count else iter(())
        first_task = NumberSequence.allocate(Task.NUMBER_PREFIX, task_count) if task_count else 0
        requests, items, approvals, tasks = [], [], [], []
        task_index = 0
        for index, (request, lines) in enumerate(built):
            request.update(id=request_ids[index],
                           number=NumberSequence.format(Request.NUMBER_PREFIX, first_request + index))
            requests.append(request)
            for line, line_approvals, line_tasks in lines:
                line.update(id=next(item_ids), request_id=request["id"])
                items.append(line)
                approvals += [dict(a, request_item_id=line["id"]) for a in line_approvals]
                for task in line_tasks:
                    task.update(id=next(task_ids), request_id=request["id"], request_item_id=line["id"],
                                number=NumberSequence.format(Task.NUMBER_PREFIX, first_task + task_index))
                    task_index += 1
                    tasks.append(task)
        _copy(Request, requests)
        _copy(RequestItem, items)
        _copy(RequestApproval, approvals)
        _copy(Task, tasks)


def _document(model):
    """The new row's search document from the declared fields (a new row has no comments)."""
    pieces = []
    for names, weight in model.SEARCH_FIELDS.parts:
        text = " || ' ' || ".join(f"coalesce({name}, '')" for name in names)
        pieces.append(f"setweight(to_tsvector('{SEARCH_CONFIG}', {text}), '{weight}')")
    return " || ".join(pieces)


def _copy(model, rows):
    """COPY `rows` (dicts; missing columns take the field's default) into a temporary table, then
    one INSERT … SELECT into the model's table that also writes the search document."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if f.column != "search_vector"
              and not (f.primary_key and f.column not in rows[0])]
    columns = [f.column for f in fields]
    defaults = {f.column: f.get_default() for f in fields if f.column not in rows[0]}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv(row[f.column] if f.column in row else row.get(f.name, defaults.get(f.column)))
                         for f in fields])
    buffer.seek(0)
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    searchable = any(f.column == "search_vector" for f in model._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE demo_load ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA")
        cursor.cursor.copy_expert(f"COPY demo_load ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
        if searchable:
            cursor.execute(f"INSERT INTO {table} ({names}, search_vector) SELECT {names}, {_document(model)} "
                           "FROM demo_load")
        else:
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM demo_load")
        cursor.execute("DROP TABLE demo_load")


def _csv(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _after(ctx):
    """Who may decide the waiting items now (written around the services, so derived here), the
    catalog's popularity from the requests (one UPDATE), and fresh planner statistics."""
    from fulfilment import deciders

    ctx.log(f"  fulfilment: {deciders.rebuild()} approvals due")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_catalogitem c SET times_ordered = s.n FROM (SELECT catalog_item_id, count(*) AS n "
            "FROM fulfilment_requestitem GROUP BY catalog_item_id) s WHERE s.catalog_item_id = c.id")
        for model in (Request, RequestItem, RequestApproval, Task, ApprovalDue):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    ctx.log("  fulfilment: catalog popularity and statistics refreshed")
