import pytest

from catalog.tests.factories import make_category, make_item


@pytest.fixture
def category(db):
    return make_category("Hardware", name_ko="하드웨어")


@pytest.fixture
def laptop(category):
    return make_item("Laptop", category=category, name_ko="노트북", summary="A laptop for work",
                     summary_ko="업무용 노트북")
