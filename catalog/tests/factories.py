"""Catalog records for tests: a category, an item with a form that uses every field type."""

import itertools

from catalog.models import Category, CatalogItem

_seq = itertools.count(1)


def make_category(name=None, **fields):
    return Category.objects.create(name=name or f"Category {next(_seq)}", **fields)


def laptop_form():
    """Every field type, Korean labels, a choice, a condition and a required pair."""
    schema = {
        "type": "object",
        "properties": {
            "model": {"type": "string", "enum": ["standard", "developer"], "x-field": "choice"},
            "memory": {"type": "integer", "minimum": 8, "maximum": 64, "x-field": "number"},
            "reason": {"type": "string", "maxLength": 200, "x-field": "text"},
            "needed_by": {"type": "string", "format": "date", "x-field": "date"},
            "extras": {"type": "array", "items": {"type": "string", "enum": ["mouse", "dock"]},
                       "uniqueItems": True, "x-field": "multichoice"},
            "for_person": {"type": "integer", "x-field": "user"},
            "service": {"type": "integer", "x-field": "ci"},
            "quote": {"type": "string", "x-field": "attachment"},
            "urgent": {"type": "boolean", "x-field": "yesno"},
        },
        "required": ["model", "memory", "reason"],
        "additionalProperties": False,
    }
    ui = {
        "order": ["model", "memory", "reason", "needed_by", "extras", "for_person", "service", "quote", "urgent"],
        "fields": {
            "model": {"label": "Model", "label_ko": "모델", "help": "Pick one", "help_ko": "하나를 고르세요",
                      "choices": {"standard": {"label": "Standard", "label_ko": "표준"},
                                  "developer": {"label": "Developer", "label_ko": "개발자용"}}},
            "memory": {"label": "Memory (GB)", "label_ko": "메모리(GB)",
                       "show_if": {"field": "model", "equals": "developer"}},
            "reason": {"label": "Reason", "label_ko": "사유", "widget": "textarea"},
            "needed_by": {"label": "Needed by", "label_ko": "필요한 날짜"},
            "extras": {"label": "Extras", "label_ko": "추가 장비",
                       "choices": {"mouse": {"label": "Mouse", "label_ko": "마우스"},
                                   "dock": {"label": "Dock", "label_ko": "도킹"}}},
            "for_person": {"label": "For", "label_ko": "사용자"},
            "service": {"label": "Service", "label_ko": "서비스"},
            "quote": {"label": "Quote", "label_ko": "견적서"},
            "urgent": {"label": "Urgent", "label_ko": "긴급"},
        },
    }
    return schema, ui


def make_item(name="Laptop", category=None, form=None, **fields):
    schema, ui = form if form is not None else laptop_form()
    return CatalogItem.objects.create(name=name, category=category or make_category(), form_schema=schema,
                                      form_ui=ui, **fields)
