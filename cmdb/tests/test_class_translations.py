"""CI class names and attribute labels in the reader's language (issue 11, item 11)."""

import pytest
from django.apps import apps
from django.utils import translation

from cmdb.defaults import translate_classes
from cmdb.forms import _field_for
from cmdb.models import CIClass
from cmdb.schema import property_label

pytestmark = pytest.mark.django_db


def test_shipped_classes_read_in_korean_and_keep_their_english_name():
    server = CIClass.objects.get(slug="server")
    with translation.override("ko"):
        assert str(server) == "서버"
        assert server.display_description == "물리 호스트 또는 하이퍼바이저입니다."
    with translation.override("en"):
        assert str(server) == "Server"
    assert server.name == "Server"  # what the API and imports match on


def test_attribute_labels_follow_the_language():
    spec = CIClass.objects.get(slug="database").attribute_schema["properties"]["engine_version"]
    with translation.override("ko"):
        assert property_label("engine_version", spec) == "엔진 버전"
        assert _field_for("engine_version", spec, required=False).label == "엔진 버전"
    with translation.override("en"):
        assert property_label("engine_version", spec) == "Engine version"
    assert property_label("os_version", {}) == "Os version"


def test_a_class_an_administrator_adds_falls_back_to_its_name_until_translated():
    added = CIClass.objects.create(slug="printer", name="Printer", attribute_schema={
        "type": "object", "properties": {"toner": {"type": "string", "title": "Toner", "x-titles": {"ko": "토너"}}}})
    with translation.override("ko"):
        assert str(added) == "Printer"
        assert property_label("toner", added.attribute_schema["properties"]["toner"]) == "토너"
        added.translations = {"ko": {"name": "프린터"}}
        added.full_clean()
        assert str(added) == "프린터"


def test_translations_must_be_language_to_texts():
    bad = CIClass(slug="x", name="X", translations={"ko": "프린터"})
    with pytest.raises(Exception, match="language"):
        bad.full_clean()


def test_the_migration_step_keeps_an_edited_schema_and_translation():
    server = CIClass.objects.get(slug="server")
    server.translations = {"ko": {"name": "물리 서버"}}
    server.attribute_schema = {"type": "object", "properties": {"rack": {"type": "string", "title": "Rack"},
                                                                 "site": {"type": "string", "title": "Site"}}}
    server.save()
    translate_classes(apps)
    translate_classes(apps)
    server.refresh_from_db()
    assert server.translations == {"ko": {"name": "물리 서버"}}
    assert server.attribute_schema["properties"]["rack"]["x-titles"] == {"ko": "랙"}
    assert "x-titles" not in server.attribute_schema["properties"]["site"]
