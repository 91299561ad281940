"""A real HTTP receiver for the tests and the benchmark: a threaded http.server on 127.0.0.1
that records what it is sent and answers as told (a status, a redirect, or down altogether)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, port=0):
        self.received = []  # (headers dict, body bytes), in arrival order
        self.lock = threading.Lock()
        self.status = 200
        self.redirect_to = None
        self.port = port
        self.server = None
        self.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                status = owner.status
                if owner.redirect_to:
                    status = 302
                if 200 <= status < 300:
                    with owner.lock:
                        owner.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                reply = b'{"ok":true}' if status < 300 else b"nope"
                self.send_response(status)
                if owner.redirect_to:
                    self.send_header("location", owner.redirect_to)
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        """Down: nothing listens on the port (connection refused)."""
        self.server.shutdown()
        self.server.server_close()

    def bodies(self):
        with self.lock:
            return [json.loads(body) for _headers, body in self.received]

    def ids(self):
        with self.lock:
            return [headers["webhook-id"] for headers, _body in self.received]
