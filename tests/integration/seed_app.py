"""A small WSGI application for logchain's integration test.

Its routes give gunicorn a varied set of access lines and error-log events:
plain pages, request bodies, empty responses, a custom status, 404s, and
routes that raise so gunicorn logs "Error handling request" with a traceback
(a plain exception, a chained one, and one raised after the headers went out).
"""


class CheckoutError(Exception):
    """An application-defined exception (its traceback names the module)."""


def _reply(start_response, status, body, content_type="text/plain; charset=utf-8"):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def _divide(a, b):
    return a / b


def _stream_then_fail():
    yield b"first chunk\n"
    raise RuntimeError("the stream broke after the headers were sent")


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    method = environ["REQUEST_METHOD"]
    if path.startswith("/boom"):
        return _reply(start_response, "200 OK", str(_divide(1, 0)).encode())
    if path.startswith("/chain"):
        try:
            {}["cart"]
        except KeyError as exc:
            raise CheckoutError('cart "missing" for user') from exc
    if path.startswith("/stream-fail"):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return _stream_then_fail()
    if path.startswith("/missing") or path.startswith("/nowhere"):
        return _reply(start_response, "404 Not Found", b"not found\n")
    if path.startswith("/empty"):
        start_response("204 No Content", [])
        return [b""]
    if path.startswith("/custom"):
        return _reply(start_response, "299 Custom Status", b"custom\n")
    if method in ("POST", "PUT"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        data = environ["wsgi.input"].read(length)
        return _reply(start_response, "201 Created", b"got %d bytes\n" % len(data))
    if method == "DELETE":
        return _reply(start_response, "200 OK", b"deleted\n")
    return _reply(start_response, "200 OK", b"hello from the integration app\n")
