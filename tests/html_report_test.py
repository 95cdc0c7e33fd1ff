#!/usr/bin/env python3
"""The HTML report as a browser shows it (a make test step).

Usage: html_report_test.py [LUTRACE_BIN]

For each flight log of tests/flight-logs (real VM runs, see its README):
`lutrace export --html --budget-ms 20000`, then Debian's chromium, headless, loads the page
through the DevTools protocol (--remote-debugging-pipe: fds 3 and 4, no
port) and the test requires:
  - no console message, no uncaught exception, no log entry of level
    warning or error (a resource that fails to load, a blocked script);
  - in the DOM chromium built: the heading with the verdict `lutrace verify
    -j` gives for the log, one row per rule with its verdict, and every
    device `lutrace report -j` names, in the timelines and (when handed
    over) in the phase table;
and keeps a full-page screenshot in build/html-report/NAME.png for people
to look at. Each browser run is bounded by a timeout and killed after.
"""
import base64
import fcntl
import html.parser
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGS = os.path.join(ROOT, "tests", "flight-logs")
OUT = os.path.join(ROOT, "build", "html-report")
LOAD_S = 30
# The budget the VM scenarios judge these runs with (tests/e2e/lutrace-*/host-check.sh),
# so the good run's page says PASS.
BUDGET = ["--budget-ms", "20000"]


def fail(msg):
    sys.exit("html-report: FAIL: " + msg)


class Browser:
    """One headless chromium and one page, spoken to over the DevTools pipe."""

    def __init__(self, profile):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        self.log = open(os.path.join(OUT, "chromium.log"), "a")

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
        self.deadline = time.monotonic() + LOAD_S

    def close(self):
        """Browser.close, then SIGKILL to the browser's own process group
        (its zygote and renderers) if it is not gone in 5 s."""
        try:
            if self.proc.poll() is None:
                self.deadline = time.monotonic() + 5
                self.session = None
                self.call("Browser.close", False)
            self.proc.wait(timeout=5)
        except (OSError, SystemExit, subprocess.TimeoutExpired):
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
                fail("chromium did not answer within %d s (log: %s/chromium.log)" % (LOAD_S, OUT))
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                fail("chromium closed the DevTools pipe (log: %s/chromium.log)" % OUT)
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
                    fail("%s: %s" % (method, m["error"]))
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
            fail("chromium opened no page")
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


class Dom(html.parser.HTMLParser):
    """Headings and table rows as text."""

    def __init__(self, text):
        super().__init__()
        self.headings, self.rows, self.cur, self.row = [], [], None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3"):
            self.cur = [tag, ""]
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.row.append("")

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self.cur:
            self.headings.append(tuple(self.cur))
            self.cur = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cur:
            self.cur[1] += data
        elif self.row:
            self.row[-1] += data


def json_lines(argv):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if r.returncode not in (0, 1):
        fail("%s exited %d: %s" % (" ".join(argv), r.returncode, r.stderr))
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def check(lutrace, log, profile):
    name = os.path.basename(log).rsplit(".", 1)[0]
    page = os.path.join(OUT, name + ".html")
    subprocess.run([lutrace, "export", "--html", *BUDGET, "-o", page, log], check=True, timeout=30)
    verify = json_lines([lutrace, "verify", "-j", *BUDGET, log])
    verdict = [v for v in verify if v["type"] == "verdict"][0]["verdict"]
    rules = {(v["verdict"], v["rule"]) for v in verify if v["type"] == "rule"}
    report = json_lines([lutrace, "report", "-j", log])
    devices = {e["dev"] for e in report if e["type"] == "event" and e.get("dev")}
    handed = {e["dev"] for e in report if e["type"] == "phases"}
    if not devices or not handed:
        fail("%s: lutrace report names no device: not a run to test the page on" % log)

    b = Browser(profile)
    try:
        b.open("file://" + page)
        complaints = b.complaints()
        dom = Dom(b.dom())
        b.screenshot(os.path.join(OUT, name + ".png"))
    finally:
        b.close()

    errors = ["%s: %s" % (name, c) for c in complaints]
    if not any(h == "h2" and t.startswith("Verify: " + verdict + " ") for h, t in dom.headings):
        errors.append("%s: no heading 'Verify: %s ...' (headings: %s)" % (name, verdict, dom.headings))
    shown = {(r[0], r[1]) for r in dom.rows if len(r) >= 2}
    for missing in sorted(rules - shown):
        errors.append("%s: no row for rule %s with verdict %s" % (name, missing[1], missing[0]))
    titles = {t for h, t in dom.headings if h == "h3"}
    phase_rows = {r[0] for r in dom.rows if len(r) > 2}
    for d in sorted(devices - titles):
        errors.append("%s: device %s has no timeline heading" % (name, d))
    for d in sorted(handed - phase_rows):
        errors.append("%s: handed-over device %s has no row in the phase table" % (name, d))
    return errors, "%s: %s, %d rules, %d devices" % (name, verdict, len(rules), len(devices))


def main():
    lutrace = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "lutrace")
    if not shutil.which("chromium"):
        fail("chromium not found (Debian package chromium; make deps)")
    if not os.access(lutrace, os.X_OK):
        fail("%s not found: make tracer" % lutrace)
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    logs = sorted(os.path.join(LOGS, f) for f in os.listdir(LOGS) if f.endswith(".log"))
    if not logs:
        fail("no flight log in %s" % LOGS)
    errors, seen = [], []
    # Stopped from outside: unwind, so the browser is closed and killed.
    signal.signal(signal.SIGTERM, lambda signum, _: sys.exit(128 + signum))
    signal.signal(signal.SIGINT, lambda signum, _: sys.exit(128 + signum))
    profile = tempfile.mkdtemp(prefix="lutrace-chromium-")
    try:
        for log in logs:
            e, summary = check(lutrace, log, profile)
            errors += e
            seen.append(summary)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if errors:
        fail("\n".join(errors))
    print("html-report: chromium loaded %d reports with no console message or error; verdict, rules and "
          "devices in the DOM (%s); screenshots in %s" % (len(logs), "; ".join(seen), os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
