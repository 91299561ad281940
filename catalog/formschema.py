"""An item's request form: a JSON Schema of the answers (`CatalogItem.form_schema`) plus UI
hints (`CatalogItem.form_ui`). One module validates answers on the server and builds the Django
form the portal renders, so no item needs a template of its own.

Shape (the contract between the catalog editor, the portal, the API and the demo data):

form_schema = {
  "type": "object",
  "properties": {
    "<name>": <JSON Schema of one answer>, ...
  },
  "required": [<names required whenever shown>],
  "additionalProperties": false,
}
Field types and their JSON Schema (the `x-field` keyword names the type):
  text         {"type": "string", "maxLength": 2000, "x-field": "text"}      (form_ui widget "textarea" for long text)
  number       {"type": "number" | "integer", "minimum": .., "maximum": .., "x-field": "number"}
  date         {"type": "string", "format": "date", "x-field": "date"}
  choice       {"type": "string", "enum": [values], "x-field": "choice"}
  multichoice  {"type": "array", "items": {"type": "string", "enum": [values]}, "uniqueItems": true, "x-field": "multichoice"}
  user         {"type": "integer", "x-field": "user"}       (a user id the requester may see)
  ci           {"type": "integer", "x-field": "ci"}         (a configuration item id the requester may see)
  attachment   {"type": "string", "x-field": "attachment"}  (the file's name; the file is stored as an
                                                            attachment of the request)
  yesno        {"type": "boolean", "x-field": "yesno"}

form_ui = {
  "order": [<names in display order>],
  "fields": {
    "<name>": {
      "label": "...", "label_ko": "...", "help": "...", "help_ko": "...",
      "widget": "textarea",                                 (optional)
      "choices": {"<value>": {"label": "...", "label_ko": "..."}},   (choice, multichoice)
      "show_if": {"field": "<other name>", "equals": <value>}         (or "in": [values])
    }
  }
}
A field with `show_if` is shown (and, if listed in `required`, required) only when the other
field's answer equals the value; an answer to a hidden field is refused.
"""


class AnswersInvalid(Exception):
    """Answers that break the form: `errors` maps each field name to its messages."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def validate_answers(item, answers, *, user):
    """The answers cleaned (types coerced, hidden fields absent), or AnswersInvalid naming each
    bad field. `user` is the requester: user and CI answers must be records they may see."""
    raise NotImplementedError  # issue 13, catalog


def build_form(item, *, data=None, files=None, user=None):
    """The Django form of the item's request form (labels and help in the active language)."""
    raise NotImplementedError  # issue 13, catalog
