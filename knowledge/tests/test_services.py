"""The article lifecycle: drafts, review, publication, new versions, retirement, diffs."""

import pytest

from core.choices import Channel
from core.exceptions import DomainError, InvalidTransition, PermissionRefused, StaleVersion
from core.models import AuditEntry, OutboxEvent
from knowledge import services
from knowledge.choices import ArticleState, VersionState
from knowledge.models import Article
from knowledge.tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db
WEB = Channel.WEB


def test_a_new_article_is_a_numbered_draft_with_its_first_version(agent):
    category = make_category()
    article = make_article(agent, title="VPN 연결이 자꾸 끊길 때", body="**재접속**", category=category.pk,
                           tags=["VPN", " vpn ", "Network"])
    assert article.number.startswith("KB") and len(article.number) == 9
    assert article.state == ArticleState.DRAFT and article.category == category
    assert article.tags == ["vpn", "network"]
    assert "<strong>재접속</strong>" in article.body_html
    assert [(v.number, v.state) for v in article.versions.all()] == [(1, VersionState.DRAFT)]
    assert article.owner == agent
    assert AuditEntry.objects.filter(object_id=article.pk, action="created").exists()
    assert OutboxEvent.objects.filter(name="article.created", object_id=article.pk).exists()


def test_unknown_category_and_oversized_body_are_refused_naming_the_field(agent):
    with pytest.raises(DomainError) as refused:
        make_article(agent, category=999999)
    assert refused.value.field == "category"
    with pytest.raises(DomainError) as refused:
        make_article(agent, body="가" * 100_000)
    assert refused.value.field == "body"
    assert not Article.objects.exists()


def test_end_users_cannot_write(end_user):
    with pytest.raises(PermissionRefused):
        make_article(end_user)


def test_review_then_publish(agent, other_agent):
    article = make_article(agent)
    article = services.submit_for_review(article, actor=agent, channel=WEB)
    assert article.state == ArticleState.REVIEW
    with pytest.raises(PermissionRefused):
        services.approve(article, actor=agent, channel=WEB)
    article = services.approve(article, actor=other_agent, channel=WEB)
    article = services.publish(article, actor=agent, channel=WEB)
    assert article.state == ArticleState.PUBLISHED and article.published_at and article.review_at
    assert article.working_version is None
    assert article.published_version.state == VersionState.PUBLISHED
    assert article.published_version.reviewed_by == other_agent


def test_publishing_without_approval_is_refused_where_a_reviewer_is_required(agent):
    article = make_article(agent)
    with pytest.raises(DomainError) as refused:
        services.publish(article, actor=agent, channel=WEB)
    assert refused.value.code == "review_required" and refused.value.status_code == 400
    article.refresh_from_db()
    assert article.state == ArticleState.DRAFT


def test_without_a_required_reviewer_the_author_publishes(agent):
    article = make_article(agent, reviewer_required=False)
    article = services.publish(article, actor=agent, channel=WEB)
    assert article.state == ArticleState.PUBLISHED


def test_send_back_needs_a_comment_and_returns_to_draft(agent, other_agent):
    article = services.submit_for_review(make_article(agent), actor=agent, channel=WEB)
    with pytest.raises(DomainError) as refused:
        services.send_back(article, actor=other_agent, channel=WEB, comment=" ")
    assert refused.value.field == "comment"
    article = services.send_back(article, actor=other_agent, channel=WEB, comment="Add screenshots")
    assert article.state == ArticleState.DRAFT
    assert article.working_version.review_comment == "Add screenshots"
    with pytest.raises(InvalidTransition):
        services.approve(article, actor=other_agent, channel=WEB)


def test_editing_a_published_article_makes_a_new_draft_readers_keep_the_old(agent, other_agent):
    article = make_article(agent, title="Old title", body="old body", publish=True, reviewer=other_agent)
    article, diff = services.update_article(article, actor=agent, channel=WEB, expected_version=article.version,
                                            changes={"body": "new body"})
    assert "body" in diff
    assert article.body == "old body" and article.state == ArticleState.PUBLISHED
    assert article.working_version.number == 2 and article.working_version.body == "new body"
    assert article.working_version.title == "Old title"
    article = services.submit_for_review(article, actor=agent, channel=WEB)
    article = services.approve(article, actor=other_agent, channel=WEB)
    article = services.publish(article, actor=agent, channel=WEB)
    assert article.body == "new body"
    assert [(v.number, v.state) for v in article.versions.order_by("number")] == [
        (1, VersionState.SUPERSEDED), (2, VersionState.PUBLISHED)]


def test_an_edit_after_approval_needs_approving_again(agent, other_agent):
    article = services.submit_for_review(make_article(agent), actor=agent, channel=WEB)
    article = services.approve(article, actor=other_agent, channel=WEB)
    article, _diff = services.update_article(article, actor=agent, channel=WEB, changes={"title": "Changed"})
    assert article.working_version.state == VersionState.DRAFT and article.state == ArticleState.DRAFT
    with pytest.raises(DomainError):
        services.publish(article, actor=agent, channel=WEB)


def test_a_stale_version_is_refused_and_nothing_changes(agent):
    article = make_article(agent, title="First")
    services.update_article(article, actor=agent, channel=WEB, changes={"title": "Second"},
                            expected_version=article.version)
    with pytest.raises(StaleVersion):
        services.update_article(article, actor=agent, channel=WEB, changes={"title": "Third"},
                                expected_version=article.version)
    article.refresh_from_db()
    assert article.title == "Second"


def test_retire_keeps_every_version(agent, other_agent):
    article = make_article(agent, publish=True, reviewer=other_agent)
    article = services.retire(article, actor=agent, channel=WEB)
    assert article.state == ArticleState.RETIRED and article.versions.count() == 1
    assert not Article.objects.visible_to(other_agent).filter(state="published").exists()


def test_diff_between_two_versions(agent, other_agent):
    article = make_article(agent, body="line one\nline <two>", publish=True, reviewer=other_agent)
    services.update_article(article, actor=agent, channel=WEB, changes={"body": "line one\nline <three>"})
    unified = services.diff(article, 1, 2)
    assert "-line <two>" in unified and "+line <three>" in unified
    rows = services.diff(article, 1, 2, mode="side")
    changed = [r for r in rows if r["kind"] == "replace"]
    assert changed[0]["left"] == "line &lt;two&gt;" and changed[0]["right"] == "line &lt;three&gt;"
    with pytest.raises(DomainError):
        services.diff(article, 1, 9)


def test_audience_of_organisations_needs_organisations(agent):
    with pytest.raises(DomainError) as refused:
        make_article(agent, audience="organisations")
    assert refused.value.field == "organisations"
