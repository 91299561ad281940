"""The portal's cart: catalog items a person has filled in and not yet submitted, kept in their
session so several items go in one request.

A line holds the item id, the quantity and the answers as the form cleaned them (JSON values).
Nothing here is trusted at submission: `fulfilment.services.submit_request` validates every line
again (the item may have been withdrawn, its form changed, the person moved organisation).

Attachment fields: a file cannot live in a session, so on "Add to cart" it is checked by
core.attachments (type, size, content) and kept in the default storage under `STAGING`, named
by a random key; the line remembers its path and original name. Submitting hands the stored
files to the service as uploads (they become attachments of the request) and deletes them;
removing the line or emptying the cart deletes them too. A cart abandoned with files in it
leaves them behind until `purge_staged` (older than a day) runs.
"""

import datetime as dt
import secrets
from pathlib import PurePath

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from core.attachments import validate_upload

SESSION_KEY = "portal_cart"
STAGING = "portal-cart"
# A cart is a basket, not a store room: a long one is a mistake (or a script).
MAX_LINES = 20


class CartFull(Exception):
    pass


class Cart:
    def __init__(self, session):
        self.session = session
        data = session.get(SESSION_KEY)
        self.data = data if isinstance(data, dict) and isinstance(data.get("lines"), list) else {"lines": []}

    # --- reading ------------------------------------------------------------------------------
    @property
    def lines(self):
        return list(self.data["lines"])

    def __len__(self):
        return len(self.data["lines"])

    @property
    def requested_for_id(self):
        value = self.data.get("requested_for")
        return value if isinstance(value, int) else None

    def item_ids(self):
        return [line["item"] for line in self.data["lines"]]

    # --- writing ------------------------------------------------------------------------------
    def _save(self):
        self.session[SESSION_KEY] = self.data
        self.session.modified = True

    def add(self, item, *, answers, quantity, files=None, requested_for=None):
        if len(self) >= MAX_LINES:
            raise CartFull
        staged = {name: _stage(upload) for name, upload in (files or {}).items() if upload}
        self.data["lines"].append({
            "key": secrets.token_hex(8), "item": item.pk, "quantity": int(quantity),
            "answers": answers, "files": staged,
        })
        if requested_for is not None:
            self.data["requested_for"] = requested_for.pk
        self._save()

    def set_requested_for(self, user):
        if user is None:
            self.data.pop("requested_for", None)
        else:
            self.data["requested_for"] = user.pk
        self._save()

    def remove(self, key):
        kept = []
        for line in self.data["lines"]:
            if line.get("key") == key:
                _unstage(line)
            else:
                kept.append(line)
        found = len(kept) != len(self.data["lines"])
        self.data["lines"] = kept
        self._save()
        return found

    def clear(self, *, delete_files=True):
        if delete_files:
            for line in self.data["lines"]:
                _unstage(line)
        self.data = {"lines": []}
        self._save()


def staged_uploads(line):
    """The line's staged files as uploads for OrderLine.files ({field: File named as uploaded})."""
    uploads = {}
    for name, staged in (line.get("files") or {}).items():
        path = staged.get("path", "")
        if not path.startswith(f"{STAGING}/") or not default_storage.exists(path):
            continue
        handle = default_storage.open(path, "rb")
        uploads[name] = File(handle, name=staged.get("name") or PurePath(path).name)
    return uploads


def close_uploads(uploads):
    for upload in uploads.values():
        upload.close()


def delete_staged(lines):
    for line in lines:
        _unstage(line)


def _stage(upload):
    name, _mime = validate_upload(upload)
    path = default_storage.save(f"{STAGING}/{secrets.token_hex(12)}/{name}", upload)
    return {"path": path, "name": name}


def _unstage(line):
    for staged in (line.get("files") or {}).values():
        path = staged.get("path", "")
        if path.startswith(f"{STAGING}/"):
            default_storage.delete(path)


def purge_staged(*, older_than=dt.timedelta(days=1), now=None):
    """Delete staged files of carts abandoned longer ago than `older_than`; answers how many."""
    limit = (now or timezone.now()) - older_than
    removed = 0
    try:
        folders, _files = default_storage.listdir(STAGING)
    except FileNotFoundError:
        return 0
    for folder in folders:
        _sub, files = default_storage.listdir(f"{STAGING}/{folder}")
        for filename in files:
            path = f"{STAGING}/{folder}/{filename}"
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
    return removed
