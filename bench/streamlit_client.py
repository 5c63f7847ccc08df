"""A Streamlit client that speaks the app's own websocket protocol, for ``bench concurrency``.

A browser tab plays a user by drawing every message it gets; on a small machine sixty of them
starve the server they are meant to measure. This client does what the tab does on the wire and
nothing more: it loads the page (``GET /``), opens ``/_stcore/stream`` with the tab's cookies,
asks for script runs (``BackMsg.rerun_script`` carrying the widget values the user set, a
button's trigger, the page it navigates to) and reads the ``ForwardMsg``s back: the elements
each run draws (kept by their delta path, so a widget is found by its label as the user finds
it), the page load the sign-in asks for (``auth_redirect``, followed over HTTP like a tab, which
is how the session cookie is set) and the end of the run. Rendering is all it leaves out.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urljoin, urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

FINISHED = ForwardMsg.ScriptFinishedStatus
RUN_DONE = (FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR)
CLOSED = -1  # the websocket ended before the run did
TEXT_FIELDS = ("body", "label", "value")  # where an element holds what the user reads


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the caller reads Location itself, as it must see each Set-Cookie


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Screen:
    """What the last finished run drew, by delta path."""

    elements: dict[tuple[int, ...], Element] = field(default_factory=dict)

    def widgets(self) -> Iterator[tuple[str, Any]]:
        """Every element as (kind, its proto), in the order drawn."""
        for path in sorted(self.elements):
            element = self.elements[path]
            kind = element.WhichOneof("type")
            if kind:
                yield kind, getattr(element, kind)

    def find(self, kind: str, label: str | re.Pattern[str]) -> Any:
        """The first ``kind`` element (``text_input``, ``button``…) whose label is ``label``
        (or matches it); LookupError naming what the screen shows instead."""
        for found, proto in self.widgets():
            if found != kind:
                continue
            text = getattr(proto, "label", "")
            if text == label if isinstance(label, str) else label.fullmatch(text):
                return proto
        raise LookupError(f"no {kind} {label!r} on the screen: {self.summary()}")

    def has(self, kind: str, label: str | re.Pattern[str]) -> bool:
        """True when ``find`` would find it."""
        try:
            self.find(kind, label)
        except LookupError:
            return False
        return True

    def texts(self) -> list[str]:
        """Every text the screen shows (alerts, markdown, labels, values)."""
        out: list[str] = []
        for _, proto in self.widgets():
            for name in TEXT_FIELDS:
                if name in proto.DESCRIPTOR.fields_by_name:
                    value = getattr(proto, name)
                    if isinstance(value, str) and value:
                        out.append(value)
        return out

    def shows(self, text: str) -> bool:
        """True when some text on the screen contains ``text``."""
        return any(text in shown for shown in self.texts())

    def summary(self) -> str:
        """The screen's texts, shortened, for an error message."""
        return " | ".join(t[:40] for t in self.texts()[:12])


def text_value(proto: Any) -> str:
    """What a text input shows: the value the script set, else its default."""
    return str(proto.value if proto.set_value else proto.default)


class Tab:
    """One browser tab on the app at ``base`` (``http://host:port``): its cookies, its
    websocket session, the screen of its last run."""

    def __init__(self, base: str, timeout: float) -> None:
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.pages: dict[str, str] = {}  # page name → page script hash (the menu)
        self.screen = Screen()
        self.redirect: str | None = None  # the last page load a run asked for
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._done: asyncio.Queue[int] = asyncio.Queue()
        self._next = Screen()
        self._values: dict[str, WidgetState] = {}  # what the user set, sent with every run
        self._path = "/"  # the page loaded
        self._page_hash = ""  # the page shown ("": the default one)

    async def load(self, path: str = "/") -> Screen:
        """A page load of ``path``: GET it (following redirects, keeping cookies), open a new
        websocket session with the cookies and run the page's script."""
        await self.close()
        path = await asyncio.to_thread(self._get, path)
        url = urljoin(self.base + "/", "_stcore/stream").replace("http", "ws", 1)
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = self._cookie_header()
        self._ws = await connect(
            url,
            subprotocols=[Subprotocol("streamlit")],
            additional_headers=headers,
            max_size=None,
        )
        self._reader = asyncio.create_task(self._read(self._ws))
        self._values.clear()
        self._path = path
        return await self.run(page_hash="")

    def _get(self, path: str) -> str:
        """GET ``path`` and its redirects; the path finally shown."""
        for _ in range(5):
            request = urllib.request.Request(self.base + path)
            if self.cookies:
                request.add_header("Cookie", self._cookie_header())
            try:
                with _OPENER.open(request, timeout=self.timeout) as response:
                    self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
                    response.read()
                    return path
            except urllib.error.HTTPError as exc:
                if exc.code not in (301, 302, 303, 307, 308):
                    raise
                self._keep_cookies(exc.headers.get_all("Set-Cookie") or [])
                path = urlsplit(urljoin(self.base + path, exc.headers["Location"])).path or "/"
        raise RuntimeError(f"too many redirects from {path}")

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970"):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def set(self, proto: Any, value: str) -> None:
        """Type ``value`` into the text input ``proto`` (sent with the next run)."""
        self._values[proto.id] = WidgetState(id=proto.id, string_value=value)

    async def click(self, proto: Any) -> Screen:
        """Click the button (or form submit button) ``proto``; the screen after the run."""
        return await self.run(triggers=[WidgetState(id=proto.id, trigger_value=True)])

    async def open_page(self, name: str) -> Screen:
        """Open the menu's page ``name``."""
        return await self.run(page_hash=self.pages[name])

    async def run(
        self, *, page_hash: str | None = None, triggers: list[WidgetState] | None = None
    ) -> Screen:
        """Ask for a script run with the widget values set so far (and ``triggers``); wait
        until the runs it leads to (``st.rerun``) have finished; the screen they drew."""
        assert self._ws is not None, "load() first"
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        if page_hash is not None:
            self._page_hash = page_hash
        state.page_script_hash = self._page_hash
        state.widget_states.widgets.extend([*self._values.values(), *(triggers or [])])
        info = state.context_info
        info.timezone, info.locale = "Asia/Shanghai", "zh-CN"
        info.url = self.base + self._path
        while not self._done.empty():
            self._done.get_nowait()
        await self._ws.send(message.SerializeToString())
        status = await asyncio.wait_for(self._done.get(), self.timeout)
        if status == CLOSED:
            raise ConnectionError("the server closed the websocket")
        if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
            raise RuntimeError("the script did not compile")
        return self.screen

    async def _read(self, ws: ClientConnection) -> None:
        try:
            await self._receive(ws)
        finally:
            self._done.put_nowait(CLOSED)

    async def _receive(self, ws: ClientConnection) -> None:
        async for raw in ws:
            message = ForwardMsg()
            message.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self._next = Screen()
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                path = tuple(message.metadata.delta_path)
                self._next.elements[path] = message.delta.new_element
            elif kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in message.navigation.app_pages}
            elif kind == "auth_redirect":
                self.redirect = message.auth_redirect.url
            elif kind == "script_finished" and message.script_finished in RUN_DONE:
                self.screen = self._next
                self._done.put_nowait(message.script_finished)

    async def close(self) -> None:
        """Close the websocket (the tab navigates away or is closed)."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):  # a closed socket's end
                await self._reader
            self._reader = None
