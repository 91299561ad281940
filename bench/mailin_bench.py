"""Mail in speed (issue 15): 50 messages a second through ingest_email.

Usage:
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_h15mail
    .venv/bin/python bench/mailin_bench.py [--messages 1000] [--workers 1] [--cli 40] [--cli-parallel 4] [--cli-batch 200]

1. In process: `mailin.services.ingest` (what the command and the IMAP poller call) on N
   messages of a realistic mix, one after the other: new mail from known and unknown senders
   (plain UTF-8, Outlook EUC-KR with a PDF, HTML-only), replies threaded by the number in the
   subject, auto-replies, and every 20th message a duplicate. Prints messages/s and p50/p95/max.
   The outbox's after-commit dispatch (notification mail) is left to the workers, as in production.
2. The command: `manage.py ingest_email < message.eml` as an MTA runs it, one process per
   message, sequentially and `--cli-parallel` at a time (an MTA delivers concurrently), and
   `ingest_email FILE...` with `--cli-batch` files in one process.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from accounts.roles import Role  # noqa: E402
from accounts.services import upsert_user  # noqa: E402
from core import outbox  # noqa: E402
from mailin import services  # noqa: E402
from mailin.models import Mailbox  # noqa: E402

CORPUS = ROOT / "mailin" / "tests" / "corpus"
RUN = str(int(time.time()))


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))]


def plain(i, sender, subject=None, body=None, headers=None):
    msg = EmailMessage()
    msg["From"], msg["To"] = sender, "helpdesk@bench.example"
    msg["Subject"] = subject or f"프린터가 인쇄되지 않습니다 #{i}"
    msg["Message-ID"] = f"<bench-{RUN}-{i}@client.example>"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body or "3층 복합기에서 인쇄가 되지 않습니다. 용지 걸림 표시는 없습니다.\n\n감사합니다.")
    return msg.as_bytes()


def corpus_with_id(name, i, sender):
    raw = (CORPUS / name).read_bytes()
    head, sep, body = raw.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n")
             if not line.lower().startswith((b"message-id:", b"from:"))]
    lines += [f"Message-ID: <bench-{RUN}-{i}@client.example>".encode(), f"From: {sender}".encode()]
    return b"\r\n".join(lines) + sep + body


def build(count, known, numbers):
    """The mix: 40% plain new mail, 15% Outlook EUC-KR with a PDF, 10% HTML-only, 20% replies by
    subject number, 10% auto-replies, 5% duplicates."""
    messages = []
    for i in range(count):
        person = known[i % len(known)]
        kind = i % 20
        if kind < 8:
            sender = person.email if i % 2 else f"new{RUN}-{i}@citizen.example"
            messages.append(plain(i, sender))
        elif kind < 11:
            messages.append(corpus_with_id("outlook_euckr.eml", i, person.email))
        elif kind < 13:
            messages.append(corpus_with_id("webmail_html_only.eml", i, person.email))
        elif kind < 17 and numbers.get(person.pk):
            messages.append(plain(i, person.email, f"Re: [{numbers[person.pk]}] 프린터", "아직 안 됩니다."))
        elif kind < 19:
            messages.append(plain(i, person.email, "자동 회신: 휴가 중", "휴가 중입니다.",
                                  headers={"Auto-Submitted": "auto-replied"}))
        else:
            messages.append(messages[-1])  # the same message again
    return messages


def _ingest_all(mailbox_id, messages):
    from django.db import connections

    connections.close_all()  # a forked worker opens its own connection
    outbox.use_waker(lambda: None)
    mailbox = Mailbox.objects.get(pk=mailbox_id)
    timings, states = [], {}
    for raw in messages:
        t0 = time.perf_counter()
        outcome = services.ingest(raw, mailbox=mailbox)
        timings.append((time.perf_counter() - t0) * 1000)
        key = "duplicate" if outcome.duplicate else str(outcome.state)
        states[key] = states.get(key, 0) + 1
    return timings, states


def in_process(count, workers):
    outbox.use_waker(lambda: None)  # delivery is the workers' job, not the ingest's
    mailbox, _ = Mailbox.objects.get_or_create(name="bench", defaults={"address": "helpdesk@bench.example"})
    known = [upsert_user(f"mailbench{i}", role=Role.END_USER, email=f"mailbench{i}@agency.example.kr")
             for i in range(100)]
    # Each known sender has one open incident to reply to.
    numbers = {}
    for person in known:
        outcome = services.ingest(plain(f"seed-{person.pk}", person.email, "VPN 끊김", "VPN이 끊깁니다."),
                                  mailbox=mailbox)
        if outcome.ticket is not None:
            numbers[person.pk] = outcome.ticket.number
    messages = build(count, known, numbers)
    import multiprocessing

    from django.db import connections

    connections.close_all()
    started = time.perf_counter()
    if workers == 1:
        results = [_ingest_all(mailbox.pk, messages)]
    else:
        # As an MTA delivering concurrently (or one poller per mailbox): each process its own slice.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.starmap(_ingest_all, [(mailbox.pk, messages[w::workers]) for w in range(workers)])
    elapsed = time.perf_counter() - started
    timings = [t for result in results for t in result[0]]
    states = {}
    for _timings, counted in results:
        for key, value in counted.items():
            states[key] = states.get(key, 0) + value
    print(f"in process, {workers} process(es): {count} messages in {elapsed:.1f} s = {count / elapsed:.1f} messages/s")
    print(f"  per message p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
          f"max {max(timings):.1f} ms; outcomes {states}")


def cli(count, parallel, batch):
    env = {**os.environ, "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}

    def run(i):
        raw = plain(f"cli-{i}", f"cli{i % 50}@agency.example.kr")
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "ingest_email", "--mailbox", "bench"],
                              input=raw, capture_output=True, env=env, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode())
        return (time.perf_counter() - t0) * 1000

    started = time.perf_counter()
    sequential = [run(i) for i in range(count)]
    seq_elapsed = time.perf_counter() - started
    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(run, range(count, 2 * count)))
    par_elapsed = time.perf_counter() - started
    # One process for a batch of files (ingest_email FILE...): the startup paid once.
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        names = []
        for i in range(batch):
            path = Path(folder) / f"{i}.eml"
            path.write_bytes(plain(f"batch-{i}", f"batch{i % 50}@agency.example.kr"))
            names.append(str(path))
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "ingest_email", "--mailbox", "bench", *names],
                              capture_output=True, env=env, cwd=ROOT)
        batch_elapsed = time.perf_counter() - t0
        assert done.returncode == 0, done.stderr.decode()
    print(f"command with {batch} files in one process: {batch_elapsed:.1f} s = {batch / batch_elapsed:.1f} messages/s "
          f"(startup included)")
    print(f"command, one process per message: {count} sequential in {seq_elapsed:.1f} s "
          f"({count / seq_elapsed:.1f}/s, p50 {statistics.median(sequential):.0f} ms per process); "
          f"{count} with {parallel} at a time in {par_elapsed:.1f} s ({count / par_elapsed:.1f}/s)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cli", type=int, default=40)
    parser.add_argument("--cli-parallel", type=int, default=4)
    parser.add_argument("--cli-batch", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    in_process(args.messages, args.workers)
    if args.cli:
        cli(args.cli, args.cli_parallel, args.cli_batch)


if __name__ == "__main__":
    main()
