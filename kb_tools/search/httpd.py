"""An HTTP/1.1 server with keep-alive, a bounded worker pool and load shedding (standard library).

``ThreadingHTTPServer`` starts one thread per connection without bound, waits forever for a
request that is sent halfway, and (with HTTP/1.0) opens a new connection for every request. On
the bureau's two-core machine that saturated near 90 searches a second with p99 over a second.
Here instead:

* one loop thread owns the listening socket and every idle connection (a selector): new and
  kept-alive connections wait there without holding a thread;
* when a connection has bytes to read, the loop puts it in a bounded FIFO queue; ``workers``
  threads take connections in arrival order, answer one request each and hand kept-alive
  connections back to the loop;
* when the queue is full, or ``max_connections`` are open, the connection gets ``503`` with
  ``Retry-After`` at once: overload is shed, never queued without bound;
* a request head must arrive within ``request_timeout`` seconds of its first byte (a client that
  sends it a byte at a time is cut off too), an idle kept-alive connection is closed after
  ``idle_timeout`` seconds, and a client that stops reading its answer is dropped after
  ``request_timeout`` seconds without progress.

The request handler is a :class:`PooledRequestHandler` (a ``BaseHTTPRequestHandler``): the same
class also runs unchanged under ``ThreadingHTTPServer``, which the benchmark uses as baseline.
"""

from __future__ import annotations

import collections
import contextlib
import io
import queue
import selectors
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

#: Seconds a client has to send a whole request head, and to accept each chunk of an answer.
REQUEST_TIMEOUT = 10.0
#: Seconds a kept-alive connection may stay idle between requests.
IDLE_TIMEOUT = 15.0
#: Threads answering requests (searches themselves are limited further by the site handler).
WORKERS = 8
#: Connections with a request waiting for a worker; beyond this, 503.
QUEUE_SIZE = 128
#: Open connections (idle ones included); beyond this, 503.
MAX_CONNECTIONS = 512
#: What ``Retry-After`` tells a shed client, in seconds.
RETRY_AFTER = 1

BUSY_BODY = "服务器繁忙，请稍后重试。\n".encode()
BUSY_RESPONSE = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    + f"Retry-After: {RETRY_AFTER}\r\nContent-Length: {len(BUSY_BODY)}\r\n".encode()
    + b"Connection: close\r\n\r\n" + BUSY_BODY
)


class DeadlineReader(io.RawIOBase):
    """The socket's read side for one connection: first the bytes the loop read already, then
    the socket, failing with ``TimeoutError`` once ``deadline`` has passed.

    A plain socket timeout restarts with every byte; a deadline bounds the whole request head.
    """

    def __init__(self, sock: socket.socket, io_timeout: float) -> None:
        self.sock = sock
        self.io_timeout = io_timeout
        self.deadline = float("inf")
        self.prefix = b""
        self.peeking = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int | None:  # type: ignore[override]  # socket adapters and handler wiring narrower than the stdlib base classes
        if self.prefix:
            n = min(len(buffer), len(self.prefix))
            buffer[:n] = self.prefix[:n]
            self.prefix = self.prefix[n:]
            return n
        if self.peeking:  # only what has arrived already, never wait
            self.sock.settimeout(0.0)
        else:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("请求未在时限内发完")
            self.sock.settimeout(min(remaining, self.io_timeout))
        try:
            return self.sock.recv_into(buffer)
        except BlockingIOError:
            return None
        finally:
            self.sock.settimeout(self.io_timeout)


class SocketWriter(io.RawIOBase):
    """The write side: every write is one ``sendall`` (headers and small bodies go out together)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]  # socket adapters and handler wiring narrower than the stdlib base classes
        self.sock.sendall(data)
        return len(data)


class PooledRequestHandler(BaseHTTPRequestHandler):
    """A request handler that also runs one request at a time on a :class:`PooledHTTPServer`.

    Under ``socketserver`` servers it behaves as any ``BaseHTTPRequestHandler`` (``__init__``
    serves the connection). On the pool, :meth:`attach` sets it up once per connection and a
    worker calls :meth:`serve_one` for each request.
    """

    protocol_version = "HTTP/1.1"
    #: Requests whose request line cannot be read are answered as HTTP/1.0 (with a status line),
    #: not as HTTP/0.9 (a bare body).
    default_request_version = "HTTP/1.0"
    #: Headers and body go out in one write; with Nagle's algorithm on, a kept-alive client would
    #: wait for its delayed ACK (40 ms) on every small answer.
    disable_nagle_algorithm = True
    raw: DeadlineReader
    reader: io.BufferedReader

    @classmethod
    def attach(cls, sock: socket.socket, address: tuple[str, int], server: PooledHTTPServer) -> PooledRequestHandler:
        """A handler for a new connection of the pool, ready for :meth:`serve_one`."""
        handler = cls.__new__(cls)
        handler.request = handler.connection = sock
        handler.client_address = address
        handler.server = server  # type: ignore[assignment]  # socket adapters and handler wiring narrower than the stdlib base classes
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        handler.raw = DeadlineReader(sock, server.request_timeout)
        handler.rfile = handler.reader = io.BufferedReader(handler.raw)
        handler.wfile = SocketWriter(sock)  # type: ignore[assignment]  # socket adapters and handler wiring narrower than the stdlib base classes
        return handler

    def serve_one(self, head: bytes, deadline: float) -> bool:
        """Answer one request (``head``: what the loop read of it); True when the connection
        stays open for another."""
        self.raw.prefix = head
        self.raw.deadline = deadline
        self.connection.settimeout(self.raw.io_timeout)
        self.close_connection = True
        try:
            self.handle_one_request()
        except OSError:  # the client went away or stopped reading (TimeoutError included)
            return False
        except Exception as exc:  # a bug: one line on stderr and a 500, never a traceback
            print(f"kb serve：处理 {getattr(self, 'path', '?')!r} 时出错：{type(exc).__name__}: {exc}",
                  file=sys.stderr)
            with contextlib.suppress(Exception):  # the answer may be half sent already
                self.send_error(500)
            return False
        return not self.close_connection

    def has_buffered_request(self) -> bool:
        """Whether a next (pipelined) request has arrived already, in the buffer or the socket."""
        self.raw.peeking = True
        try:
            return bool(self.reader.peek(1))
        except OSError:
            return False
        finally:
            self.raw.peeking = False

    def end_headers(self, body: bytes = b"") -> None:
        """The blank line after the headers, with ``body`` in the same write."""
        if self.request_version == "HTTP/1.0" and not self.close_connection:
            self.send_header("Connection", "keep-alive")  # a 1.0 client asked for it: say it is granted
        buffer: list[bytes] = getattr(self, "_headers_buffer", [])
        if self.request_version != "HTTP/0.9":
            buffer.append(b"\r\n")
        if body:
            buffer.append(body)
        self._headers_buffer = buffer
        self.flush_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet by default: staff run this in a terminal they do not watch


class _Connection:
    """One client connection: its socket, its handler, the request head read so far, and since
    when it has been idle (``idle_since``) or sending a request (``started``)."""

    __slots__ = ("closed", "handler", "head", "idle_since", "sock", "started")

    def __init__(self, sock: socket.socket, handler: PooledRequestHandler) -> None:
        self.sock = sock
        self.handler = handler
        self.head = bytearray()
        self.idle_since = self.started = time.monotonic()
        self.closed = False

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


class PooledHTTPServer:
    """``serve_forever()`` / ``shutdown()`` / ``server_close()`` as ``socketserver`` servers have."""

    def __init__(self, address: tuple[str, int], handler_class: type[PooledRequestHandler], *,
                 workers: int = WORKERS, queue_size: int = QUEUE_SIZE, max_connections: int = MAX_CONNECTIONS,
                 request_timeout: float = REQUEST_TIMEOUT, idle_timeout: float = IDLE_TIMEOUT) -> None:
        self.handler_class = handler_class
        self.workers = workers
        self.max_connections = max_connections
        self.request_timeout = request_timeout
        self.idle_timeout = idle_timeout
        self.socket = socket.create_server(address, backlog=256)
        self.socket.setblocking(False)
        self.server_address: tuple[str, int] = self.socket.getsockname()[:2]
        self.shed = 0  # connections answered 503 (read by tests and the benchmark)
        self._pending: queue.Queue[_Connection | None] = queue.Queue(maxsize=queue_size)
        self._returned: collections.deque[_Connection] = collections.deque()
        self._connections: set[_Connection] = set()  # touched by the loop thread only
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._threads: list[threading.Thread] = []

    @property
    def waiting(self) -> int:
        """Requests waiting for a worker now."""
        return self._pending.qsize()

    @property
    def open_connections(self) -> int:
        """Connections open now (idle ones included)."""
        return len(self._connections)

    # ----------------------------------------------------------------- the loop thread

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Accept, read request heads and dispatch them until :meth:`shutdown`."""
        self._stopped.clear()
        self._threads = [threading.Thread(target=self._work, name=f"kb-serve-{n}", daemon=True)
                         for n in range(self.workers)]
        for thread in self._threads:
            thread.start()
        selector = selectors.DefaultSelector()
        selector.register(self.socket, selectors.EVENT_READ, "listen")
        selector.register(self._wake_read, selectors.EVENT_READ, "wake")
        last_sweep = time.monotonic()
        try:
            while not self._stop.is_set():
                for key, _mask in selector.select(timeout=poll_interval):
                    if key.data == "listen":
                        self._accept(selector)
                    elif key.data == "wake":
                        self._take_back(selector)
                    else:
                        self._read_head(selector, key.data)
                now = time.monotonic()
                if now - last_sweep >= min(1.0, poll_interval):
                    last_sweep = now
                    self._close_stale(selector, now)
        finally:
            with contextlib.suppress(queue.Empty):
                while True:  # requests not begun: closed, so that the queue has room for the stops
                    waiting = self._pending.get_nowait()
                    if waiting is not None:
                        waiting.close()
            for _ in self._threads:
                with contextlib.suppress(queue.Full):
                    self._pending.put(None, timeout=self.request_timeout)
            for thread in self._threads:
                thread.join(timeout=self.request_timeout)
            for conn in list(self._connections):
                conn.close()
            self._connections.clear()
            selector.close()
            self._stop.clear()
            self._stopped.set()

    def _accept(self, selector: selectors.BaseSelector) -> None:
        while True:
            try:
                sock, address = self.socket.accept()
            except OSError:  # nothing more to accept, out of file descriptors, or closing
                return
            if len(self._connections) >= self.max_connections:
                self._refuse(sock)
                continue
            try:
                conn = _Connection(sock, self.handler_class.attach(sock, address, self))
            except OSError:  # reset before we could set it up
                sock.close()
                continue
            self._connections.add(conn)
            self._park(selector, conn)

    def _park(self, selector: selectors.BaseSelector, conn: _Connection) -> None:
        """Wait for the connection's next request without a thread."""
        try:
            conn.sock.settimeout(0.0)  # the loop never blocks on a client
            conn.idle_since = time.monotonic()
            selector.register(conn.sock, selectors.EVENT_READ, conn)
        except (OSError, ValueError):  # closed meanwhile
            self._connections.discard(conn)
            conn.close()

    def _read_head(self, selector: selectors.BaseSelector, conn: _Connection) -> None:
        """Collect a request head; hand it to a worker once complete (a worker never waits for
        a slow client's head)."""
        try:
            data = conn.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client closed the connection
            selector.unregister(conn.sock)
            self._connections.discard(conn)
            conn.close()
            return
        if not conn.head:
            conn.started = time.monotonic()
        conn.head += data
        if b"\r\n\r\n" in conn.head or b"\n\n" in conn.head or len(conn.head) > 65536 + 1024:
            selector.unregister(conn.sock)
            self._dispatch(conn)

    def _take_back(self, selector: selectors.BaseSelector) -> None:
        try:
            while self._wake_read.recv(4096):
                pass
        except BlockingIOError:
            pass
        while self._returned:
            conn = self._returned.popleft()
            if conn.closed:
                self._connections.discard(conn)
            else:
                self._park(selector, conn)

    def _dispatch(self, conn: _Connection) -> None:
        try:
            self._pending.put_nowait(conn)
        except queue.Full:
            self._connections.discard(conn)
            self._refuse(conn.sock)
            conn.closed = True

    def _refuse(self, sock: socket.socket) -> None:
        """503 + Retry-After without waiting: read what was sent, answer, close."""
        self.shed += 1
        try:
            sock.setblocking(False)
            try:
                while sock.recv(65536):
                    pass
            except BlockingIOError:
                pass
            sock.send(BUSY_RESPONSE)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            sock.close()

    def _close_stale(self, selector: selectors.BaseSelector, now: float) -> None:
        """Close connections idle too long, and those whose request head is late."""
        for key in list(selector.get_map().values()):
            conn = key.data
            if not isinstance(conn, _Connection):
                continue
            late = now - conn.started > self.request_timeout if conn.head else (
                now - conn.idle_since > self.idle_timeout)
            if late:
                selector.unregister(conn.sock)
                self._connections.discard(conn)
                conn.close()

    # ----------------------------------------------------------------- worker threads

    def _work(self) -> None:
        while True:
            conn = self._pending.get()
            if conn is None:
                return
            head, conn.head = bytes(conn.head), bytearray()
            deadline = conn.started + self.request_timeout
            keep = False
            try:
                while True:
                    keep = conn.handler.serve_one(head, deadline)
                    if not keep or self._stop.is_set() or not conn.handler.has_buffered_request():
                        break
                    head, deadline = b"", time.monotonic() + self.request_timeout  # pipelined: already here
            except Exception:  # never lose a worker; serve_one has reported what it could
                keep = False
            if not keep or self._stop.is_set():
                conn.close()
            self._returned.append(conn)
            with contextlib.suppress(OSError):  # a full wake-up buffer: the loop is awake already
                self._wake_write.send(b"\0")

    # ----------------------------------------------------------------- control

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` and wait until it has returned."""
        self._stop.set()
        with contextlib.suppress(OSError):
            self._wake_write.send(b"\0")
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket (after :meth:`shutdown`)."""
        self.socket.close()
        self._wake_read.close()
        self._wake_write.close()
