"""Fixtures of mail in: the corpus, mailboxes, and a real IMAP server (Debian's Dovecot) the tests
start in a temporary folder with its own configuration, on a free loopback port."""

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from mailin.choices import OpensKind, ProcessedAction, UnknownSenders
from mailin.models import Mailbox

CORPUS = Path(__file__).parent / "corpus"
DOVECOT = "/usr/sbin/dovecot"
IMAP_USER, IMAP_PASSWORD = "desk", "imap-test-password"


def corpus(name, **replace):
    """A corpus message's bytes; keyword arguments replace placeholders (INC0000000 -> a real number)."""
    data = (CORPUS / name).read_bytes()
    for old, new in replace.items():
        data = data.replace(old.encode(), new.encode())
    return data


@pytest.fixture
def mailbox(db, team):
    return Mailbox.objects.create(name="helpdesk", address="helpdesk@desk.example", default_group=team,
                                  opens=OpensKind.INCIDENT, unknown_senders=UnknownSenders.CREATE)


@pytest.fixture
def strict_mailbox(db, team):
    return Mailbox.objects.create(name="strict", address="strict@desk.example", default_group=team,
                                  unknown_senders=UnknownSenders.REFUSE)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port, deadline):
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def dovecot():
    """A Dovecot IMAP server for the session: one account (maildir under a temporary folder).

    Run as root (a container), Dovecot's own processes use the Debian package's users and mail is
    stored as `nobody`; run as anyone else, everything runs as that user."""
    if not os.path.exists(DOVECOT):
        pytest.skip("Dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="mailin-dovecot-"))
    root.chmod(0o755)
    mail = root / "mail"
    mail.mkdir()
    mail.chmod(0o777)
    if os.geteuid() == 0:
        internal = "dovecot" if _user_exists("dovecot") else "nobody"
        login = "dovenull" if _user_exists("dovenull") else "nobody"
        owner = pwd.getpwnam("nobody")
    else:
        internal = login = pwd.getpwuid(os.geteuid()).pw_name
        owner = pwd.getpwuid(os.geteuid())
    port = _free_port()
    (root / "passwd").write_text(
        f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}:{owner.pw_uid}:{owner.pw_gid}::{mail}/{IMAP_USER}::\n")
    config = root / "dovecot.conf"
    config.write_text(f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = {min(owner.pw_uid, 1)}
first_valid_gid = 0
mail_location = maildir:{mail}/%u
mail_privileged_group =
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
service auth {{
  unix_listener auth-userdb {{
    mode = 0666
  }}
}}
""")
    (root / "state").mkdir()
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if not _wait_for(port, time.monotonic() + 20):
        process.terminate()
        output = process.communicate(timeout=10)[0].decode(errors="replace")
        log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
        raise RuntimeError(f"Dovecot did not start:\n{output}\n{log}")
    try:
        yield {"host": "127.0.0.1", "port": port, "user": IMAP_USER, "password": IMAP_PASSWORD, "root": root}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(root, ignore_errors=True)


def _user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture
def imap(dovecot):
    """A client of the test server with empty INBOX and Processed folders (each test starts clean)."""
    client = imaplib.IMAP4(dovecot["host"], dovecot["port"])
    client.login(dovecot["user"], dovecot["password"])
    for folder in ("INBOX", "Processed"):
        client.create(folder)
        status, data = client.select(folder)
        if status == "OK" and int(data[0] or 0):
            client.store("1:*", "+FLAGS", r"(\Deleted)")
            client.expunge()
    client.select("INBOX")
    yield client
    try:
        client.logout()
    except (OSError, imaplib.IMAP4.error):
        pass


@pytest.fixture
def imap_mailbox(mailbox, dovecot):
    mailbox.imap_host, mailbox.imap_port = dovecot["host"], dovecot["port"]
    mailbox.imap_user, mailbox.imap_password = dovecot["user"], dovecot["password"]
    mailbox.imap_ssl, mailbox.active = False, True
    mailbox.processed_action, mailbox.processed_folder = ProcessedAction.MOVE, "Processed"
    mailbox.save()
    return mailbox
