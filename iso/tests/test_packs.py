"""Evidence packs: the same seed gives the same sample; the ZIP holds an index (HTML and PDF),
documents, KPIs and each sampled record with its audit trail; a failed build serves nothing."""

import json
import zipfile

import pytest

from core.exceptions import DomainError
from iso import sampling, services
from iso.models import PackState
from iso.tests.conftest import WEB, approved_document, make_changes, today_period

pytestmark = pytest.mark.django_db


def _pack(manager, clauses=("8.5.1",), seed="audit-2026", size=3, language="en"):
    start, end = today_period()
    pack = services.request_pack(actor=manager, channel=WEB, clauses=list(clauses), period_start=start,
                                 period_end=end, sample_size=size, seed=seed, language=language)
    return services.build(pack.pk)


def _zip(pack):
    with pack.file.open("rb") as stream:
        archive = zipfile.ZipFile(stream)
        return {name: archive.read(name) for name in archive.namelist()}


def test_same_seed_same_sample_and_the_pack_holds_the_evidence(agent, manager):
    changes = make_changes(agent, 8)
    approved_document(manager, ["8.5.1"])
    first, second = _pack(manager), _pack(manager)
    assert first.state == second.state == PackState.READY and first.progress == 100
    ids = first.sample["8.5.1"]["changes.Change"]
    assert len(ids) == 3 and ids == second.sample["8.5.1"]["changes.Change"]
    # the order is md5(seed:type:id), computable anywhere
    expected = sorted((c.pk for c in changes), key=lambda pk: sampling.sample_key("audit-2026", "changes.Change", pk))
    assert ids == expected[:3]
    assert _pack(manager, seed="another").sample["8.5.1"]["changes.Change"] != ids or len(changes) <= 3

    files = _zip(first)
    assert {"index.html", "index.pdf", "index.css", "manifest.json"} <= set(files)
    assert files["index.pdf"].startswith(b"%PDF")
    assert "clauses/8.5.1/documents/DOC0000001.md" in files
    record = json.loads(files[f"clauses/8.5.1/records/changes-Change-{ids[0]}.json"])
    assert record["id"] == ids[0] and record["fields"]["title"].startswith("Patch the web servers")
    assert record["audit_trail"][0]["action"] == "created"
    assert record["timeline"][0]["kind"] == "created"
    index = files["index.html"].decode()
    assert "8.5.1 Changes" in index and "DOC0000001" in index
    assert json.loads(files["manifest.json"])["seed"] == "audit-2026"


def test_all_clauses_each_say_evidence_or_no_evidence_in_korean(agent, manager):
    make_changes(agent, 1)
    pack = _pack(manager, clauses=(), language="ko")
    index = _zip(pack)["index.html"].decode()
    assert "8.5.1 변경 관리" in index
    assert index.count("증거 없음") >= 50  # every clause without evidence says so
    assert pack.sample == {"8.5.1": {"changes.Change": pack.sample["8.5.1"]["changes.Change"]}}


def test_a_failed_build_is_failed_without_a_file(manager, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("iso.packs.write", broken)
    pack = _pack(manager)
    assert pack.state == PackState.FAILED and not pack.file and not pack.downloadable
    assert "disk full" in pack.error


def test_a_built_pack_is_not_built_again(manager, agent):
    make_changes(agent, 1)
    pack = _pack(manager)
    finished = pack.finished_at
    assert services.build(pack.pk).finished_at == finished


@pytest.mark.parametrize("field, values", [
    ("period_end", {"period_end": "before"}),
    ("sample_size", {"sample_size": 0}),
    ("sample_size", {"sample_size": 10_000_000}),
    ("clauses", {"clauses": ["8.5.9"]}),
])
def test_bad_requests_name_the_field(manager, field, values):
    import datetime as dt

    start, end = today_period()
    data = {"clauses": ["8.5.1"], "period_start": start, "period_end": end, "sample_size": 5, "seed": "x", **values}
    if data["period_end"] == "before":
        data["period_end"] = start - dt.timedelta(days=1)
    with pytest.raises(DomainError) as refusal:
        services.request_pack(actor=manager, channel=WEB, **data)
    assert refusal.value.field == field
