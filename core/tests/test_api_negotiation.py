"""core.api.negotiation answers what DRF's negotiation answers (issue 12, sixth round)."""

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer, StaticHTMLRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.api.negotiation import ContentNegotiation

ACCEPTS = [None, "*/*", "application/json", "", "application/json; indent=4", "text/html", "text/html, */*",
           "application/*", "application/json, text/html;q=0.9", "image/png", " */*", "*/*;q=0.8"]
RENDERER_SETS = [(JSONRenderer, BrowsableAPIRenderer), (BrowsableAPIRenderer, JSONRenderer),
                 (StaticHTMLRenderer,), (JSONRenderer,)]


def _answer(negotiation, accept, renderers, query, suffix):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/api/v1/incidents/" + query, **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, [cls() for cls in renderers], suffix)
    except NotAcceptable:
        return "406"
    except Exception as error:  # noqa: BLE001 - e.g. Http404 for an unknown format
        return type(error).__name__
    return type(renderer), media_type


@pytest.mark.parametrize("renderers", RENDERER_SETS, ids=lambda rs: "+".join(r.__name__ for r in rs))
@pytest.mark.parametrize("query,suffix", [("", None), ("?format=api", None), ("?format=json", None),
                                          ("", "json"), ("?page=2", None)])
def test_the_same_renderer_and_media_type_as_drf(renderers, query, suffix):
    for accept in ACCEPTS:
        assert _answer(ContentNegotiation(), accept, renderers, query, suffix) == \
            _answer(DefaultContentNegotiation(), accept, renderers, query, suffix), accept


def test_it_is_the_apis_negotiation(agent_api):
    response = agent_api.get("/api/v1/incidents/", HTTP_ACCEPT="*/*")
    assert response["Content-Type"] == "application/json"
    assert agent_api.get("/api/v1/incidents/", HTTP_ACCEPT="image/png").status_code == 406
