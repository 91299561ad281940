"""CI and relationship services: validation, rules, versions, audit."""

import pytest
from django.core.exceptions import ValidationError

from cmdb import services
from cmdb.models import ConfigurationItem, Relationship, RelationshipRule
from cmdb.tests.factories import ci_class, make_ci
from core.choices import AuditAction, Channel
from core.exceptions import StaleVersion
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_create_ci_validates_attributes_with_json_path(agent):
    # when
    with pytest.raises(ValidationError) as caught:
        services.create_ci(actor=agent, channel=Channel.WEB, name="esx-9", ci_class=ci_class("server"),
                           attributes={"cpu_count": "x"})
    # then
    assert caught.value.message_dict == {"attributes": ["attributes.cpu_count: 'x' is not of type 'integer'"]}
    assert not ConfigurationItem.objects.exists()


def test_create_ci_is_audited_with_the_authorising_change(agent):
    ci = services.create_ci(actor=agent, channel=Channel.API, name="esx-9", ci_class=ci_class("server"),
                            attributes={"cpu_count": 8}, authorised_by="CHG0001001")
    entry = AuditEntry.objects.for_object(ci).get()
    assert (entry.action, entry.channel, entry.actor, entry.context) == (
        AuditAction.CREATED, Channel.API, agent, {"change": "CHG0001001"})
    assert entry.new_value["attributes"] == {"cpu_count": 8}


def test_natural_key_clash_names_the_name_field(agent):
    make_ci("esx-1", "server")
    with pytest.raises(ValidationError) as caught:
        services.create_ci(actor=agent, channel=Channel.WEB, name="esx-1", ci_class=ci_class("server"))
    assert list(caught.value.message_dict) == ["name"]
    # the same name in another environment is a different CI
    services.create_ci(actor=agent, channel=Channel.WEB, name="esx-1", ci_class=ci_class("server"),
                       environment="test")


def test_update_ci_bumps_version_and_audits_attribute_keys(agent):
    ci = make_ci("esx-1", "server", attributes={"cpu_count": 4, "os": "RHEL 9"})
    ci, diff = services.update_ci(ci, actor=agent, channel=Channel.WEB, expected_version=1,
                                  changes={"attributes": {"cpu_count": 8, "os": "RHEL 9"}, "status": "maintenance"},
                                  authorised_by="CHG0001234")
    assert ci.version == 2
    assert set(diff) == {"attributes", "status"}
    rows = {e.field: (e.old_value, e.new_value, e.context) for e in AuditEntry.objects.for_object(ci)}
    assert rows == {
        "attributes.cpu_count": (4, 8, {"change": "CHG0001234"}),
        "status": ("in_use", "maintenance", {"change": "CHG0001234"}),
    }


def test_update_ci_with_stale_version_changes_nothing(agent):
    ci = make_ci("esx-1", "server")
    with pytest.raises(StaleVersion):
        services.update_ci(ci, actor=agent, channel=Channel.WEB, expected_version=7, changes={"name": "esx-2"})
    ci.refresh_from_db()
    assert (ci.name, ci.version) == ("esx-1", 1)
    assert not AuditEntry.objects.exists()


def test_update_without_changes_keeps_the_version(agent):
    ci = make_ci("esx-1", "server")
    ci, diff = services.update_ci(ci, actor=agent, channel=Channel.WEB, changes={"name": "esx-1"})
    assert (diff, ci.version) == ({}, 1)


def test_invalid_update_is_refused_and_nothing_changes(agent):
    ci = make_ci("esx-1", "server", attributes={"cpu_count": 4})
    with pytest.raises(ValidationError):
        services.update_ci(ci, actor=agent, channel=Channel.WEB, changes={"attributes": {"cpu_count": -1}})
    ci.refresh_from_db()
    assert (ci.attributes, ci.version) == ({"cpu_count": 4}, 1)


def test_unknown_fields_are_refused(agent):
    with pytest.raises(ValidationError) as caught:
        services.create_ci(actor=agent, channel=Channel.WEB, name="x", ci_class=ci_class("server"), version=9)
    assert list(caught.value.message_dict) == ["version"]


def test_add_relationship_is_audited_on_both_cis(agent):
    app, vm = make_ci("app", "application"), make_ci("vm", "virtual_machine")
    rel = services.add_relationship(source=app, target=vm, type="runs_on", actor=agent, channel=Channel.WEB,
                                    authorised_by="CHG0000042")
    for ci in (app, vm):
        entry = AuditEntry.objects.for_object(ci).get()
        assert (entry.action, entry.field, entry.context) == (AuditAction.LINKED, "relationship",
                                                              {"change": "CHG0000042"})
        assert entry.new_value == {"id": rel.pk, "source": app.pk, "type": "runs_on", "target": vm.pk}


def test_self_loop_is_refused(agent):
    app = make_ci("app", "application")
    with pytest.raises(ValidationError) as caught:
        services.add_relationship(source=app, target=app, type="depends_on", actor=agent, channel=Channel.WEB)
    assert "target" in caught.value.message_dict
    assert not Relationship.objects.exists()


def test_self_loop_is_refused_by_the_database_too():
    from django.db import IntegrityError, transaction

    app = make_ci("app", "application")
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(source=app, target=app, type="depends_on")


def test_duplicate_relationship_is_refused(agent):
    app, vm = make_ci("app", "application"), make_ci("vm", "virtual_machine")
    services.add_relationship(source=app, target=vm, type="runs_on", actor=agent, channel=Channel.WEB)
    with pytest.raises(ValidationError) as caught:
        services.add_relationship(source=app, target=vm, type="runs_on", actor=agent, channel=Channel.WEB)
    assert "target" in caught.value.message_dict
    assert Relationship.objects.count() == 1
    # another type between the same pair is a different relationship
    services.add_relationship(source=app, target=vm, type="depends_on", actor=agent, channel=Channel.WEB)


def test_relationship_rules_restrict_only_their_type(agent):
    # given: hosted_on is only allowed from a VM to a server
    RelationshipRule.objects.create(source_class=ci_class("virtual_machine"), type="hosted_on",
                                    target_class=ci_class("server"))
    vm, host, app = make_ci("vm", "virtual_machine"), make_ci("esx", "server"), make_ci("app", "application")
    # when / then
    services.add_relationship(source=vm, target=host, type="hosted_on", actor=agent, channel=Channel.WEB)
    with pytest.raises(ValidationError) as caught:
        services.add_relationship(source=app, target=host, type="hosted_on", actor=agent, channel=Channel.WEB)
    assert list(caught.value.message_dict) == ["type"]
    # a type without rules is unrestricted
    services.add_relationship(source=app, target=host, type="depends_on", actor=agent, channel=Channel.WEB)
    assert Relationship.objects.count() == 2


def test_remove_relationship_is_audited_on_both(agent):
    app, vm = make_ci("app", "application"), make_ci("vm", "virtual_machine")
    rel = services.add_relationship(source=app, target=vm, type="runs_on", actor=agent, channel=Channel.WEB)
    services.remove_relationship(rel, actor=agent, channel=Channel.WEB)
    assert not Relationship.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.UNLINKED).count() == 2


def test_default_classes_are_shipped_with_valid_schemas():
    from cmdb.models import CIClass
    from cmdb.schema import check_schema

    slugs = set(CIClass.objects.values_list("slug", flat=True))
    assert {"server", "virtual_machine", "database", "application", "business_service", "network_device",
            "storage", "cloud_resource"} <= slugs
    for cls in CIClass.objects.all():
        assert check_schema(cls.attribute_schema) == []


def test_visible_to(agent, end_user):
    service, host = make_ci("Payroll", "business_service"), make_ci("esx", "server")
    retired = make_ci("Old", "business_service", status="retired")
    assert set(ConfigurationItem.objects.visible_to(agent)) == {service, host, retired}
    assert list(ConfigurationItem.objects.visible_to(end_user)) == [service]
