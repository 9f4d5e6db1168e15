"""`govsched run` is ready when its API answers the health check, not when its port accepts a
connection: on a loaded machine something else (a Temporal server's own services) held the
API's port, the stack called itself ready, and the first request met gRPC's binary answer."""

from __future__ import annotations

import http.server
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from govsched import stack
from govsched.config import OperatorError


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"status": "ok", "initiative": "VPI"}).encode()
        self.send_response(200 if self.path == "/health" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[stack.Child]:
    """A stand-in for the API's process (it lives; the port is served by the test)."""
    child = stack.Child("api", [sys.executable, "-c", "import time; time.sleep(60)"], {})
    yield child
    child.process.kill()
    child.process.wait()


def test_an_api_that_answers_its_health_check_is_ready(api: stack.Child) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        stack._http_ready(server.server_address[1], time.monotonic() + 60, api)
    finally:
        server.shutdown()
        server.server_close()


def test_a_port_held_by_something_else_is_not_taken_for_the_api(api: stack.Child) -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]

    def answer_like_grpc() -> None:
        while True:
            try:
                connection, _ = holder.accept()
            except OSError:
                return
            with connection:
                connection.sendall(b"\x00\x00\x12\x04\x00\x00\x00\x00\x00")  # an HTTP/2 frame

    threading.Thread(target=answer_like_grpc, daemon=True).start()
    try:
        with pytest.raises(stack.StackError, match=f"did not answer on port {port}"):
            stack._http_ready(port, time.monotonic() + 2, api)
    finally:
        holder.close()
    assert issubclass(stack.StackError, OperatorError)
