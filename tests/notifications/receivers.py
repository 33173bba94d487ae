"""Local HTTP receivers for the channel tests: a thread with http.server on 127.0.0.1:0 that records each request
and answers from a script (status, JSON) — the last answer repeats. `check(request)` may refuse a request the way the
real service would (a bad signature), answering its own JSON."""

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    query: dict
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)

    def form(self):
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))


@dataclass
class Receiver:
    answers: list = field(default_factory=lambda: [(200, {"errcode": 0, "errmsg": "ok"})])
    check: object = None  # Received → None (accept) or (status, json) to answer instead
    requests: list = field(default_factory=list)
    accepted: list = field(default_factory=list)
    server: object = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                parts = urllib.parse.urlsplit(self.path)
                request = Received(
                    parts.path, dict(urllib.parse.parse_qsl(parts.query)), dict(self.headers), self.rfile.read(length)
                )
                receiver.requests.append(request)
                index = min(len(receiver.requests), len(receiver.answers)) - 1
                status, payload = receiver.answers[index]
                refusal = receiver.check(request) if receiver.check else None
                if refusal is not None:
                    status, payload = refusal
                if status == 302:
                    self.send_response(302)
                    self.send_header("Location", payload)
                    self.end_headers()
                    return
                if (
                    status == 200
                    and refusal is None
                    and payload.get("errcode", 0) == 0
                    and payload.get("Code", "OK") == "OK"
                ):
                    receiver.accepted.append(request)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet: the test reads `requests`
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
