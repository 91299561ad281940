"""core.api.renderers answers DRF's JSONRenderer's bytes (issue 12, sixth round)."""

import datetime
import decimal
import enum
import uuid

import pytest
from django.db import models
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from core.api import renderers
from core.api.renderers import JSONRenderer


class Colour(models.TextChoices):
    RED = "red", "Red"


class Level(models.IntegerChoices):
    HIGH = 1, "High"


class Plain(enum.Enum):
    A = "a"


CASES = [
    {}, [], {"a": 1, "b": [True, False, None, -5, 2 ** 63 - 1, "x"], "c": {}},
    {"text": "".join(chr(i) for i in range(0x800)) + "\u2028\u2029\ufeff\U0001F600 한국어"},
    ReturnDict({"a": 1}, serializer=None), ReturnList([{"a": "b"}], serializer=None), ("a", 1),
    {"state": Colour.RED, "level": Level.HIGH}, [ErrorDetail("bad", code="invalid")],
    [1.5], [1e-05], [float("nan")], [decimal.Decimal("1.50")], [2 ** 64], [-(2 ** 63) - 1],
    [datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)], [datetime.date(2026, 1, 2)],
    [uuid.UUID(int=5)], [gettext_lazy("Incident")], {1: "int key"}, {"a": {2: 3}}, [Plain.A],
    ["\ud800"], [b"bytes"],
    # Containers inside containers (only they are looked into, picked out by their types).
    {"rows": [{"a": 1, "b": {"c": [1, "x", None]}, "d": []}, {"a": {"deep": [[{"e": 1.5}]]}}]},
    {"rows": [{"a": 1}, {"b": ("t", {"u": Colour.RED})}]}, {"a": [1, ReturnDict({"b": [2]}, serializer=None)]},
    {"a": {"b": {"c": datetime.date(2026, 1, 2)}}}, [[[], {}], ({"k": True},)], {"a": [{3: "int key"}]},
    {"a": "x", "b": 1, "c": [decimal.Decimal("1")]}, [{"a": "b"}, "c", 1, Plain.A],
]


def _answer(renderer, data, media_type=None, context=None):
    try:
        return renderer.render(data, media_type, context)
    except Exception as error:  # noqa: BLE001 - the same error, too
        return type(error)


@pytest.mark.parametrize("data", CASES, ids=range(len(CASES)))
@pytest.mark.parametrize("media_type,context", [(None, None), ("application/json", {}),
                                                ("application/json; indent=4", {}), (None, {"indent": 2})])
def test_the_same_bytes_as_drf(data, media_type, context):
    ours = _answer(JSONRenderer(), data, media_type, context)
    assert ours == _answer(DRFJSONRenderer(), data, media_type, context)


def test_none_renders_nothing():
    assert JSONRenderer().render(None) == b"" == DRFJSONRenderer().render(None)


def test_plain_answers_are_written_by_orjson_and_others_by_drf(monkeypatch):
    calls = []
    real = renderers.orjson.dumps
    monkeypatch.setattr(renderers.orjson, "dumps", lambda data: calls.append(data) or real(data))
    JSONRenderer().render({"a": [1, "b", None]})
    JSONRenderer().render({"a": [1.5]})
    JSONRenderer().render({"a": datetime.date(2026, 1, 2)})
    assert calls == [{"a": [1, "b", None]}]


def test_an_api_list_answers_drfs_bytes(agent_api):
    created = agent_api.post("/api/v1/incidents/", {"title": "VPN 접속 불가\u2028", "description": "x",
                                                    "impact": 2, "urgency": 2}, format="json")
    assert created.status_code == 201
    assert created.content == DRFJSONRenderer().render(created.data, "application/json", {})
    response = agent_api.get("/api/v1/incidents/")
    assert response.status_code == 200 and response.data["results"]
    assert response.content == DRFJSONRenderer().render(response.data, "application/json", {})
