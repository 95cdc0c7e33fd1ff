#!/usr/bin/env python3
"""The HTML report as a browser shows it (a make test step).

Usage: html_report_test.py [LUTRACE_BIN]

For each flight log of tests/flight-logs (real VM runs, see its README):
`lutrace export --html --budget-ms 20000`, then Debian's chromium, headless,
loads the page through the DevTools protocol over a pipe (chromium_pipe.py)
and the test requires:
  - no console message, no uncaught exception, no log entry of level
    warning or error (a resource that fails to load, a blocked script);
  - in the DOM chromium built: the heading with the verdict `lutrace verify
    -j` gives for the log, one row per rule with its verdict, and every
    device `lutrace report -j` names, in the timelines and (when handed
    over) in the phase table;
and keeps a full-page screenshot in build/html-report/NAME.png for people
to look at. Each browser run is bounded by a timeout and killed after.
"""
import html.parser
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from chromium_pipe import Browser, BrowserError  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGS = os.path.join(ROOT, "tests", "flight-logs")
OUT = os.path.join(ROOT, "build", "html-report")
LOAD_S = 30
# The budget the VM scenarios judge these runs with (tests/e2e/lutrace-*/host-check.sh),
# so the good run's page says PASS.
BUDGET = ["--budget-ms", "20000"]


def fail(msg):
    sys.exit("html-report: FAIL: " + msg)


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

    b = Browser(profile, OUT, LOAD_S)
    try:
        b.open("file://" + page)
        complaints = b.complaints()
        dom = Dom(b.dom())
        b.screenshot(os.path.join(OUT, name + ".png"))
    except BrowserError as e:
        fail("%s: %s" % (name, e))
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
