#!/usr/bin/env python3
"""The dashboards against a real node_exporter and a real Prometheus.

Usage: prom_live_test.py [LUTRACE_BIN]     (a make test step; from anywhere)

Each flight log of tests/flight-logs (real VM runs, see its README) is one
host: `lutrace metrics --textfile-dir` writes its lutrace.prom into a
textfile directory of its own, served by Debian's prometheus-node-exporter
(textfile collector only). Debian's prometheus scrapes the three exporters,
one instance label per host, with dashboards/prometheus/lutrace.rules.yml
loaded as shipped. Then, through the HTTP API:

  - every PromQL expression of the Grafana dashboard (with $instance as All)
    returns exactly the series and values it means on the samples lutrace
    wrote (promql_subset.py evaluates them on the .prom files), has data,
    and each series carries every label the panel groups by or shows in its
    legend; the $instance variable's label_values() lists the three hosts;
  - the alerts firing per host are exactly those in RUNS below: none on the
    good run, its own on each broken one, nothing pending.

The rules have no `for:` but LutraceTextfileStale's (1 h), which needs
node_exporter's node_boot_time_seconds: its collector is off here (it would
describe this machine, not the VM), so it cannot fire and is expected not to.

Everything listens on 127.0.0.1 on ports the kernel picked as free; every
process started is stopped on exit, whatever happens; each wait has a
deadline. Files kept for a look afterwards: build/prometheus-test/.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from promql_subset import Evaluator, Unsupported  # noqa: E402

LOGS = os.path.join(ROOT, "tests", "flight-logs")
RULES = os.path.join(HERE, "prometheus", "lutrace.rules.yml")
DASHBOARD = os.path.join(HERE, "grafana", "lutrace.json")
OUT = os.path.join(ROOT, "build", "prometheus-test")

# host (instance label), flight log, the alerts it must fire: (alertname, rule label).
RUNS = [
    ("live-update", "lutrace-live-update.log", set()),
    ("broken-reset", "lutrace-broken-reset.log",
     {("LutraceVerifyRuleFailed", "no_reset_before_enable")}),
    # Never retrieved: the devices' later normal open resets them as well.
    ("broken-unretrieved", "lutrace-broken-unretrieved.log",
     {("LutraceVerifyRuleFailed", "retrieved_and_finished"),
      ("LutraceVerifyRuleFailed", "no_reset_before_enable")}),
]
START_S = 20      # for a daemon to answer
SETTLE_S = 30     # for every target scraped and every rule group evaluated after it

procs = []


def fail(msg):
    sys.exit("prometheus: FAIL: " + msg)


def stop_all(*_):
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    procs.clear()


def on_signal(signum, _frame):
    stop_all()
    sys.exit(128 + signum)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def start(name, argv, ready_url):
    """Starts a daemon on a free port (argv has {port}); retries when the port
    was taken in between. Returns its base URL."""
    for _ in range(3):
        port = free_port()
        log = open(os.path.join(OUT, name + ".log"), "w")
        p = subprocess.Popen([a.format(port=port) for a in argv], stdout=log,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        procs.append(p)
        base = "http://127.0.0.1:%d" % port
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline and p.poll() is None:
            try:
                http_get(base + ready_url, timeout=1)
                return base
            except OSError:
                time.sleep(0.1)
        if p.poll() is None:
            fail("%s did not answer %s within %d s (log: %s/%s.log)" % (name, ready_url, START_S, OUT, name))
    fail("%s exited at start three times (log: %s/%s.log)" % (name, OUT, name))


def api(base, path, **params):
    body = json.loads(http_get(base + path + "?" + urllib.parse.urlencode(params, doseq=True)))
    if body.get("status") != "success":
        fail("%s %s: %s" % (path, params, body))
    return body["data"]


def rfc3339(ts):
    """Prometheus' timestamps, e.g. 2026-12-02T18:00:00.123456789Z, as seconds."""
    m = re.fullmatch(r"(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", ts)
    if not m:
        fail("timestamp %r" % ts)
    frac = float("0." + m.group(2)) if m.group(2) else 0.0
    tz = "+00:00" if m.group(3) == "Z" else m.group(3)
    return datetime.fromisoformat(m.group(1) + tz).timestamp() + frac


def parse_prom(path, instance):
    """The samples of a textfile as node_exporter exports them."""
    return parse_prom_text(open(path).read(), instance)


def parse_prom_text(text, instance):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        sel, value = line.rsplit(" ", 1)
        name, _, rest = sel.partition("{")
        labels = {"__name__": name, "instance": instance, "job": "node"}
        for k, v in re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', rest):
            labels[k] = v.encode().decode("unicode_escape")
        out.append((labels, float(value)))
    return out


def recorded(evaluator):
    """The recording rules of the rule file, as Prometheus adds them."""
    out = []
    for name, expr in re.findall(r"- record: (\S+)\s+expr: (.+)", open(RULES).read()):
        for k, v in evaluator.evaluate(expr.strip()).items():
            out.append((dict(k, __name__=name), v))
    return out


def dashboard_queries():
    d = json.load(open(DASHBOARD))
    panels, out = list(d["panels"]), []
    for p in panels:
        panels.extend(p.get("panels", []))
        for t in p.get("targets", []):
            # Labels the panel shows: grouped by, or in its legend.
            shown = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", t.get("legendFormat", "")))
            for group in re.findall(r"\bby\s*\(([^)]*)\)", t["expr"]):
                shown.update(x.strip() for x in group.split(",") if x.strip())
            out.append((p["title"], t["expr"].replace("$instance", ".+"), shown))
    var = [v for v in d["templating"]["list"] if v["name"] == "instance"][0]
    return out, var["query"]["query"]


def as_vector(result):
    return {frozenset(r["metric"].items()): float(r["value"][1]) for r in result}


def show(vec):
    return "\n".join("    %s %r" % (dict(sorted(k)), v) for k, v in sorted(vec.items(), key=lambda kv: sorted(kv[0])))


def same(a, b):
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) <= 1e-9 * max(1.0, abs(a[k])) for k in a)


def main():
    lutrace = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "lutrace")
    for tool in ("prometheus", "prometheus-node-exporter"):
        if not shutil.which(tool):
            fail("%s not found (Debian package %s; make deps)" % (tool, tool))
    if not os.access(lutrace, os.X_OK):
        fail("%s not found: make tracer" % lutrace)
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    tmp = tempfile.mkdtemp(prefix="lutrace-prom-")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        run(lutrace, tmp)
    finally:
        stop_all()
        shutil.rmtree(tmp, ignore_errors=True)


def run(lutrace, tmp):
    t0 = time.monotonic()
    samples, targets = [], []
    for host, log, _ in RUNS:
        textdir = os.path.join(tmp, "textfile-" + host)
        os.makedirs(textdir)
        subprocess.run([lutrace, "metrics", "--textfile-dir", textdir, os.path.join(LOGS, log)],
                       check=True, timeout=30)
        prom = os.path.join(textdir, "lutrace.prom")
        shutil.copy(prom, os.path.join(OUT, host + ".prom"))
        samples += parse_prom(prom, host)
        base = start("node-exporter-" + host,
                     ["prometheus-node-exporter", "--web.listen-address=127.0.0.1:{port}",
                      "--collector.disable-defaults", "--collector.textfile",
                      "--collector.textfile.directory=" + textdir], "/metrics")
        exported = http_get(base + "/metrics")
        if not re.search(r"^node_textfile_scrape_error 0$", exported, re.M):
            fail("node_exporter could not read %s:\n%s" % (prom, exported[-2000:]))
        # Every sample exported as written, once (node_exporter serves what
        # it could gather and only logs a series it saw twice).
        written = Counter((tuple(sorted(l.items())), v) for l, v in parse_prom(prom, host))
        served = Counter((tuple(sorted(l.items())), v) for l, v in parse_prom_text(exported, host)
                         if l["__name__"].startswith("lutrace_"))
        if written != served:
            fail("node_exporter serves other lutrace samples than %s holds (log: %s/node-exporter-%s.log):"
                 "\n  written, not served: %s\n  served, not written: %s"
                 % (log, OUT, host, dict(written - served), dict(served - written)))
        targets.append((host, base[len("http://"):]))

    config = os.path.join(tmp, "prometheus.yml")
    with open(config, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
        f.write("rule_files:\n  - %s\n" % json.dumps(RULES))
        f.write("scrape_configs:\n  - job_name: node\n    static_configs:\n")
        for host, addr in targets:
            f.write("      - targets: [%s]\n        labels: {instance: %s}\n" % (json.dumps(addr), json.dumps(host)))
    shutil.copy(config, OUT)
    server = start("prometheus", ["prometheus", "--config.file=" + config,
                                "--storage.tsdb.path=" + os.path.join(tmp, "tsdb"),
                                "--web.listen-address=127.0.0.1:{port}",
                                "--web.console.templates=" + tmp, "--web.console.libraries=" + tmp],
                 "/-/ready")

    # Every target scraped once, then every rule group evaluated after that.
    deadline = time.monotonic() + SETTLE_S
    scraped = None
    while True:
        if time.monotonic() > deadline:
            fail("targets or rules not settled within %d s: %s %s" % (
                SETTLE_S, json.dumps(api(server, "/api/v1/targets"))[:2000], json.dumps(api(server, "/api/v1/rules"))[:2000]))
        if scraped is None:
            active = api(server, "/api/v1/targets")["activeTargets"]
            if len(active) == len(RUNS) and all(t["health"] == "up" for t in active):
                scraped = max(rfc3339(t["lastScrape"]) + t["lastScrapeDuration"] for t in active)
        else:
            groups = api(server, "/api/v1/rules")["groups"]
            if groups and all(rfc3339(g["lastEvaluation"]) > scraped + 0.1 for g in groups):
                break
        time.sleep(0.2)

    now = round(time.time(), 3)
    ev = Evaluator(samples, now)
    ev.samples = samples + recorded(ev)
    queries, variable = dashboard_queries()
    errors, report = [], {}
    for title, expr, shown in queries:
        try:
            want = ev.evaluate(expr)
        except Unsupported as e:
            errors.append("%s: %s: promql_subset.py cannot say what it means (%s): teach it" % (title, expr, e))
            continue
        got = as_vector(api(server, "/api/v1/query", query=expr, time=now)["result"])
        report[expr] = {"want": show(want), "got": show(got)}
        if not want:
            errors.append("%s: %s has no data on the three hosts' metrics" % (title, expr))
        elif not same(want, got):
            errors.append("%s: %s\n  Prometheus:\n%s\n  lutrace's samples mean:\n%s" % (title, expr, show(got), show(want)))
        for k in got:
            lacking = sorted(shown - {n for n, v in k if v})
            if lacking:
                errors.append("%s: %s: a series without the label(s) %s it is shown by: %s"
                              % (title, expr, ", ".join(lacking), dict(k)))
                break
    m = re.fullmatch(r"label_values\((\w+),\s*(\w+)\)", variable)
    hosts = set(api(server, "/api/v1/label/%s/values" % m.group(2), **{"match[]": m.group(1)}))
    if hosts != {h for h, _, _ in RUNS}:
        errors.append("$instance (%s) lists %s" % (variable, sorted(hosts)))

    alerts = api(server, "/api/v1/alerts")["alerts"]
    with open(os.path.join(OUT, "alerts.json"), "w") as f:
        json.dump(alerts, f, indent=1)
    with open(os.path.join(OUT, "queries.json"), "w") as f:
        json.dump(report, f, indent=1)
    for host, _, want in RUNS:
        mine = [a for a in alerts if a["labels"].get("instance") == host]
        firing = {(a["labels"]["alertname"], a["labels"].get("rule", "")) for a in mine if a["state"] == "firing"}
        pending = {a["labels"]["alertname"] for a in mine if a["state"] != "firing"}
        if firing != want or pending:
            errors.append("%s: firing %s, pending %s; expected firing %s" %
                          (host, sorted(firing), sorted(pending), sorted(want)))
    stray = [a["labels"] for a in alerts if a["labels"].get("instance") not in {h for h, _, _ in RUNS}]
    if stray:
        errors.append("alerts without a host: %s" % stray)
    if errors:
        fail("\n".join(errors))
    nalerts = sum(len(w) for _, _, w in RUNS)
    print("prometheus: %d hosts scraped through node_exporter; %d dashboard queries return the series "
          "and values lutrace's samples mean; $instance lists the hosts; alerts as expected "
          "(%d firing, none on %s); %.1f s" % (len(RUNS), len(queries), nalerts, RUNS[0][0], time.monotonic() - t0))


if __name__ == "__main__":
    main()
