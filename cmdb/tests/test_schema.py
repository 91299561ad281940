"""Attribute validation against a class's JSON Schema: pure, no database."""

import pytest

from cmdb.schema import attribute_errors, check_schema

SCHEMA = {
    "type": "object",
    "properties": {
        "cpu_count": {"type": "integer", "minimum": 1},
        "disks": {"type": "array", "items": {"type": "object", "properties": {"size_gb": {"type": "number"}}}},
        "engine": {"type": "string", "enum": ["postgresql", "oracle"]},
    },
    "required": ["engine"],
}


def test_valid_attributes_have_no_errors():
    assert attribute_errors(SCHEMA, {"cpu_count": 4, "engine": "oracle"}) == []


@pytest.mark.parametrize("attributes, expected", [
    ({"cpu_count": "x", "engine": "oracle"}, ["attributes.cpu_count: 'x' is not of type 'integer'"]),
    ({"cpu_count": 0, "engine": "oracle"}, ["attributes.cpu_count: 0 is less than the minimum of 1"]),
    ({"engine": "db2"}, ["attributes.engine: 'db2' is not one of ['postgresql', 'oracle']"]),
    ({}, ["attributes: 'engine' is a required property"]),
    ({"engine": "oracle", "disks": [{"size_gb": 1}, {"size_gb": "big"}]},
     ["attributes.disks[1].size_gb: 'big' is not of type 'number'"]),
])
def test_errors_name_the_json_path(attributes, expected):
    assert attribute_errors(SCHEMA, attributes) == expected


def test_empty_schema_accepts_any_object_but_not_a_list():
    assert attribute_errors({}, {"anything": 1}) == []
    assert attribute_errors({}, [1]) == ["attributes: must be a JSON object"]


def test_check_schema_reports_broken_schemas():
    assert check_schema({"type": "objekt"}) != []
    assert check_schema(SCHEMA) == []
    assert check_schema([]) == ["must be a JSON object"]


def test_property_names_follow_x_order_then_name():
    from cmdb.schema import property_names

    schema = {"properties": {"b": {}, "a": {}, "port": {}, "engine": {}}, "x-order": ["engine", "port", "gone"]}
    assert property_names(schema) == ["engine", "port", "a", "b"]
