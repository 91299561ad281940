"""`{% timeline_list %}` (core.templatetags.record_tags) writes what core/_timeline.html's template
wrote, character for character (issue 12, sixth round)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from core.choices import AuditAction, Channel
from core.models import AuditEntry
from core.selectors import timeline
from core.services import add_attachment, add_comment, update_ticket

# core/_timeline.html before it became the tag.
TEMPLATE = """{% load i18n core_tags %}
<ol class="timeline list-unstyled" data-testid="timeline">
{% for item in timeline %}
  <li class="timeline-item timeline-{{ item.kind }}" data-kind="{{ item.kind }}">
    <div class="timeline-meta small text-body-secondary">
      <strong class="text-body">{{ item.actor|default:_("System") }}</strong>
      {% if item.kind == "comment" %}{% translate "commented" %}{% if user|is_desk %} <span class="badge text-bg-primary timeline-visibility" data-testid="visibility-public">{% translate "Public" %}</span>{% endif %}
      {% elif item.kind == "work_note" %}<span class="badge text-bg-warning timeline-visibility" data-testid="visibility-internal">{% include "core/_lock_icon.html" %} {% translate "Work note · internal" %}</span>
      {% elif item.kind == "attachment" %}{% translate "attached a file" %}{% if item.obj.internal %} <span class="badge text-bg-warning timeline-visibility">{% include "core/_lock_icon.html" %} {% translate "internal" %}</span>{% endif %}
      {% elif item.kind == "created" %}{% translate "created the record" %}
      {% elif item.kind == "event" %}<span class="badge text-bg-secondary">{{ item.obj.get_action_display }}</span>
      {% else %}{% translate "changed" %}{% endif %}
      · {{ item.at|when }}
      {% if item.channel %}· {{ item.channel|channel_label }}{% endif %}
    </div>
    {% if item.kind == "attachment" %}
      <a href="{% url 'core:attachment_download' item.obj.pk %}">{{ item.body }}</a> <span class="text-body-secondary small">({{ item.obj.size|filesizeformat }})</span>
    {% elif item.body %}
      <div class="timeline-body">{{ item.body|linebreaksbr }}</div>
    {% endif %}
    {% if item.changes %}
      <ul class="timeline-changes small mb-0">
      {% for label, old, new in item.changes %}
        <li><span class="fw-semibold">{{ label|capfirst }}</span>: {% if old %}<span class="text-decoration-line-through text-body-secondary">{{ old|linebreaksbr }}</span> → {% endif %}{{ new|linebreaksbr }}</li>
      {% endfor %}
      </ul>
    {% endif %}
  </li>
{% empty %}
  <li class="text-body-secondary">{% translate "No activity yet." %}</li>
{% endfor %}
</ol>
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_timeline_tag_writes_what_its_template_did(ticket, agent, end_user, language):
    add_comment(ticket, actor=end_user, channel=Channel.PORTAL, body="Still <offline> & \"down\"\nsince 9:00")
    add_comment(ticket, actor=agent, channel=Channel.WEB, body="Vendor contract 12345", internal=True)
    add_attachment(ticket, actor=agent, channel=Channel.WEB, internal=True,
                   upload=SimpleUploadedFile("vendor <1>.txt", b"secret"))
    add_attachment(ticket, actor=end_user, channel=Channel.PORTAL, upload=SimpleUploadedFile("notes.txt", b"x" * 5000))
    update_ticket(ticket, actor=agent, channel=Channel.WEB,
                  changes={"state": "closed", "description": "line one\nline <two>"})
    AuditEntry.objects.create(record=ticket, object_repr=str(ticket), action=AuditAction.ESCALATED, field="",
                              actor=None, channel="", context={"reason": "Breached\nthe response target"})
    old = engines["django"].from_string(TEMPLATE)
    with translation.override(language):
        for viewer in (agent, end_user, None):
            for internal in (True, False):
                items = timeline(ticket, include_internal=internal)
                context = {"timeline": items} if viewer is None else {"timeline": items, "user": viewer}
                assert render_to_string("core/_timeline.html", context) == old.render(context)
            assert {item.kind for item in timeline(ticket, include_internal=True)} == {
                "created", "comment", "work_note", "attachment", "change", "event"}
        for context in ({"timeline": []}, {}):
            assert render_to_string("core/_timeline.html", context) == old.render(context)
