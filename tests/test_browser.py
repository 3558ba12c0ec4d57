"""Headless Chromium opens the risk map and the report from disk with networking disabled.

It asserts no console errors, no request leaving the file (no network fetch), 32 state shapes,
32 state labels and the Gi* hot-spot outlines drawn by plotly in each map, the mass-balance
Sankey drawn, and a report a person can read (no raw keys, no years written as quantities, a
filled scenario section); it keeps screenshots in test-artifacts/. Chromium is
driven over the DevTools protocol with a small standard-library WebSocket client, so the test
needs no Selenium or driver binary: only Debian's `chromium` (installed by .ci/run).

In CI (CI=true) a missing Chromium fails the test; elsewhere the test skips, saying why.
"""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
STATE_SHAPES = "path.choroplethlocation"
PAGE_TIMEOUT_S = 60.0
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--no-default-browser-check",
                  "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND",
                  "--remote-debugging-port=0", "--window-size=1280,900")


def chromium_binary() -> str:
    found = next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)
    if found:
        return found
    reason = "Chromium not found (install Debian's chromium: apt-get install -y chromium chromium-driver)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


# --- a minimal WebSocket client (RFC 6455): text frames out (masked), whole messages in ---------

class WebSocket:
    def __init__(self, url: str, timeout: float = PAGE_TIMEOUT_S):
        parts = urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.sock.recv(1)
        if b" 101 " not in response.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"WebSocket upgrade refused: {response[:200]!r}")

    def send(self, text: str) -> None:
        payload, mask = text.encode(), os.urandom(4)
        n = len(payload)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                  bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                  bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive(self) -> str:
        message = b""
        while True:
            first, second = self._exactly(2)
            n = second & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exactly(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exactly(8))[0]
            payload = self._exactly(n)
            if first & 0x0F in (0x9, 0xA):    # ping/pong between fragments: not part of the message
                continue
            message += payload
            if first & 0x80:                  # FIN: the message is complete
                return message.decode()

    def _exactly(self, n: int) -> bytes:
        chunks, left = [], n
        while left:
            chunk = self.sock.recv(min(left, 1 << 20))
            if not chunk:
                raise ConnectionError("DevTools connection closed")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.sock.close()


# --- Chromium over the DevTools protocol -------------------------------------------------------

class Browser:
    """One headless Chromium with one page; records console errors and non-file requests."""

    def __init__(self, binary: str):
        self.profile = tempfile.mkdtemp(prefix="fentflow-chromium-")
        self.process = subprocess.Popen([binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.ws = WebSocket(self._browser_url())
        self.next_id, self.session = 0, None
        self.errors: list[str] = []
        self.requests: list[str] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        try:
            self.call("Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1,
                      uploadThroughput=-1)
        except RuntimeError:   # deprecated in newer Chromium; DNS is already off and every request is recorded
            pass
        self.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)

    def _browser_url(self) -> str:
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + PAGE_TIMEOUT_S
        while time.monotonic() < deadline:
            if port_file.exists() and len(lines := port_file.read_text().split()) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            if self.process.poll() is not None:
                raise RuntimeError(f"Chromium exited: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.05)
        raise TimeoutError("Chromium did not open its DevTools port")

    def call(self, method: str, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.receive())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._event(reply)

    def _event(self, event: dict) -> None:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            values = (str(a.get("value", a.get("description"))) for a in params["args"])
            self.errors.append("console: " + " ".join(values))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.errors.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:", "blob:", "about:")):
                self.requests.append(url)

    def open(self, path: Path) -> None:
        url = path.resolve().as_uri()
        self.call("Page.navigate", url=url)
        self.wait_for(f"location.href === {json.dumps(url)}")   # not the previous page still on screen

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, expression: str, timeout: float = PAGE_TIMEOUT_S):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if value := self.evaluate(expression):
                return value
            time.sleep(0.2)
        return self.evaluate(expression)

    def screenshot(self, path: Path, selector: str | None = None) -> Path:
        params = {"format": "png"}
        if selector:
            box = self.evaluate(f"(() => {{const e = document.querySelector({json.dumps(selector)});"
                                "e.scrollIntoView();"
                                "const r = e.getBoundingClientRect();"
                                "return {x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width,"
                                " height: r.height, scale: 1};})()")
            params |= {"clip": box, "captureBeyondViewport": True}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", **params)["data"]))
        return path

    def close(self) -> None:
        self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


# --- the tests ---------------------------------------------------------------------------------

# Every map div plotly's HTML declares (drawn or not yet), with the state shapes drawn in it.
MAPS = ".plotly-graph-div:not(#mass-balance)"
SHAPES_PER_PLOT = (f"Array.from(document.querySelectorAll('{MAPS}'))"
                   f".map(p => p.querySelectorAll('{STATE_SHAPES}').length)")
LABELS_PER_MAP = (f"Array.from(document.querySelectorAll('{MAPS}'))"
                  ".map(p => Array.from(p.querySelectorAll('.scattergeo text')).map(t => t.textContent))")
HOTSPOT_LINES = "document.querySelectorAll('#risk-map .scattergeo path.js-line').length"
LEGEND = "Array.from(document.querySelectorAll('#risk-map .legendtext')).map(t => t.textContent)"
ALL_DRAWN = ("(() => {if (document.readyState !== 'complete') return null;"
             f" const c = {SHAPES_PER_PLOT}; return c.length > 0 && c.every(n => n >= 32) ? c : null;}})()")


@pytest.fixture(scope="module")
def browser():
    instance = Browser(chromium_binary())
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory, built_report):
    """The map (with a scenario, so both its maps are drawn) and the report, built from short runs."""
    from fentflow.report import REPORT_FILE
    from fentflow.risk import assess, write_map_files

    out = tmp_path_factory.mktemp("browser")
    assessment = assess(year=2025, scenario="raids_tripled", replicates=4)
    map_files = write_map_files(assessment, out / "map")
    return {"map": map_files["html"], "report": built_report / REPORT_FILE, "map_scores": map_files["csv"],
            "report_scores": built_report / "map" / "risk_scores.csv"}


@pytest.mark.parametrize("page, plots", [("map", 2), ("report", 1)])   # the map: levels + change under a scenario
def test_page_draws_32_states_offline_without_errors(browser, pages, page, plots):
    browser.errors.clear()
    browser.requests.clear()
    browser.open(pages[page])
    counts = browser.wait_for(ALL_DRAWN)
    shot = browser.screenshot(ARTIFACTS / f"{page}.png", selector="#risk-map")
    if page == "report":
        browser.screenshot(ARTIFACTS / "report-top.png")
    assert counts, f"no plot drew 32 states: per-plot counts {browser.evaluate(SHAPES_PER_PLOT)}"
    assert counts == [32] * plots
    assert browser.errors == []
    assert browser.requests == []
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("page", ["map", "report"])
def test_maps_label_the_states_and_outline_the_hotspots(browser, pages, page):
    browser.open(pages[page])
    assert browser.wait_for(ALL_DRAWN)
    labels = browser.evaluate(LABELS_PER_MAP)
    abbreviations = {"SIN", "MICH", "BC", "CDMX", "YUC", "SON", "JAL", "CHIH"}
    assert labels and all(len(texts) == 32 and abbreviations <= set(texts) for texts in labels)
    legend = browser.evaluate(LEGEND)
    hot = "hot spot" in pd.read_csv(pages[f"{page}_scores"])["hotspot"].tolist()
    assert ("Gi* hot spot (p < 0.05)" in legend) == hot
    assert (browser.evaluate(HOTSPOT_LINES) >= 1) == hot


# Raw keys and years written as quantities, as a reader would see them on screen.
RAW_KEYS = re.compile(r"\b\w+\.(p05|p25|p50|p75|p95|median)\b|\bspec\.\w+|\b(diff|pct|change_pp|change)_p\d\d\b"
                      r"|seizure_share_overall|share_pure|baseline_p50|arm_p50")
SECTION_TEXT = "document.getElementById({!r}).innerText"


def test_report_reads_as_a_report(browser, pages):
    browser.open(pages["report"])
    assert browser.wait_for(ALL_DRAWN)
    text = browser.evaluate("document.querySelector('main').innerText")
    assert not RAW_KEYS.search(text), RAW_KEYS.search(text)
    years = browser.evaluate("Array.from(document.querySelectorAll('table')).flatMap(t => {"
                             " const i = Array.from(t.querySelectorAll('thead th')).findIndex(h => /\\byear\\b/i"
                             ".test(h.textContent)); return i < 0 ? [] : Array.from(t.querySelectorAll('tbody tr'))"
                             ".map(r => r.children[i] ? r.children[i].textContent : '');})")
    assert years and all(re.fullmatch(r"\d{4}", year) for year in years), [y for y in years if "," in y][:5]
    scenarios = browser.evaluate(SECTION_TEXT.format("scenarios"))
    assert "deaths averted" in scenarios and "No scenario comparison yet" not in scenarios
    assert browser.evaluate("document.querySelectorAll('#scenarios img').length") >= 5
    assert browser.evaluate("document.querySelectorAll('#mass-balance .sankey-link').length") >= 10
    assert "overdose deaths" in browser.evaluate(SECTION_TEXT.format("balance"))
    browser.screenshot(ARTIFACTS / "report-scenarios.png", selector="#scenarios")
    browser.screenshot(ARTIFACTS / "report-balance.png", selector="#balance")


LARGEST_STATE_CENTRE = """(() => {
  let best = null, area = 0;
  for (const p of document.querySelectorAll('#risk-map path.choroplethlocation')) {
    const r = p.getBoundingClientRect();
    if (r.width * r.height > area) { area = r.width * r.height; best = r; }
  }
  return best && {x: best.x + best.width / 2, y: best.y + best.height / 2};
})()"""
HOVER_TEXT = "(() => {const t = document.querySelector('#risk-map .hoverlayer .hovertext'); " \
             "return t ? t.textContent : null;})()"


def test_hovering_a_state_shows_level_score_and_drivers(browser, pages):
    browser.open(pages["map"])
    assert browser.wait_for(ALL_DRAWN)
    centre = browser.evaluate(LARGEST_STATE_CENTRE)
    browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=centre["x"], y=centre["y"])
    text = browser.wait_for(HOVER_TEXT, timeout=10)
    browser.screenshot(ARTIFACTS / "map-hover.png", selector="#risk-map")
    assert text and "level:" in text and "score" in text and "drivers:" in text and "change vs baseline" in text
    assert browser.errors == []
