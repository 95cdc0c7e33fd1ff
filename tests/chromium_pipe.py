"""Headless chromium driven over the DevTools protocol through a pipe.

chromium --remote-debugging-pipe reads commands on fd 3 and writes answers
and events on fd 4, each a JSON message ending in a NUL byte: no port, no
WebSocket library. One browser, one page: open(url) waits for its load
event; complaints() lists what the page said on the console, threw, or
logged as a warning or error (a resource that failed to load, say);
dom() is the document as the browser built it; screenshot() the full page.
"""
import base64
import fcntl
import json
import os
import select
import signal
import subprocess
import time


class BrowserError(Exception):
    pass


class Browser:
    """One headless chromium and one page, spoken to over the DevTools pipe."""

    def __init__(self, profile, logdir, timeout_s):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        self.logpath = os.path.join(logdir, "chromium.log")
        self.log = open(self.logpath, "a")
        self.timeout_s = timeout_s

        def fds():  # the pipe ends at the fds chromium expects, and no other
            r, w = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child_r, from_child_w))
            os.dup2(r, 3)
            os.dup2(w, 4)
            os.closerange(5, os.sysconf("SC_OPEN_MAX"))

        self.proc = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-extensions", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "--window-size=1280,900", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            preexec_fn=fds, close_fds=False, start_new_session=True)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf, self.next_id, self.events, self.session = b"", 0, [], None
        self.deadline = time.monotonic() + timeout_s

    def close(self):
        """Browser.close, then SIGKILL to the browser's own process group
        (its zygote and renderers) if it is not gone in 5 s."""
        try:
            if self.proc.poll() is None:
                self.deadline = time.monotonic() + 5
                self.session = None
                self.call("Browser.close", False)
            self.proc.wait(timeout=5)
        except (OSError, BrowserError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        os.close(self.to_child)
        os.close(self.from_child)
        self.log.close()

    def read_message(self):
        while b"\0" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_child], [], [], left)[0]:
                raise BrowserError("chromium did not answer within %d s (log: %s)" % (self.timeout_s, self.logpath))
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the DevTools pipe (log: %s)" % self.logpath)
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=True, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        while True:
            m = self.read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise BrowserError("%s: %s" % (method, m["error"]))
                return m["result"]
            self.events.append(m)

    def wait_event(self, method):
        for m in self.events:
            if m.get("method") == method:
                return m
        while True:
            m = self.read_message()
            self.events.append(m)
            if m.get("method") == method:
                return m

    def open(self, url):
        pages = [t for t in self.call("Target.getTargets", False)["targetInfos"] if t["type"] == "page"]
        if not pages:
            raise BrowserError("chromium opened no page")
        self.session = self.call("Target.attachToTarget", False, targetId=pages[0]["targetId"],
                                 flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(domain + ".enable")
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def complaints(self):
        out = []
        for m in self.events:
            p = m.get("params", {})
            if m.get("method") == "Runtime.consoleAPICalled":
                out.append("console.%s: %s" % (p["type"], " ".join(str(a.get("value", a.get("description")))
                                                                  for a in p["args"])))
            elif m.get("method") == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                out.append("exception: %s" % d.get("exception", {}).get("description", d.get("text")))
            elif m.get("method") == "Log.entryAdded" and p["entry"]["level"] in ("warning", "error"):
                e = p["entry"]
                out.append("%s %s: %s %s" % (e["source"], e["level"], e["text"], e.get("url", "")))
        return out

    def dom(self):
        r = self.call("Runtime.evaluate", expression="document.documentElement.outerHTML",
                      returnByValue=True)
        return r["result"]["value"]

    def screenshot(self, path):
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                               "scale": 1})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
