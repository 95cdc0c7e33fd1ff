#!/usr/bin/env python3
"""Check the Grafana dashboard's structure and extract its PromQL.

Usage: grafana_check.py DASHBOARD.json OUT_RULES.yml OUT_EXPRS.txt

Fails (exit 1, reason on stderr) unless the dashboard has schemaVersion >= 36,
a multi-value `instance` query variable, unique panel ids, and a Prometheus
expression in every target. Writes every expression (panels and variables)
to OUT_EXPRS.txt, one per line, and as recording rules to OUT_RULES.yml with
the dashboard variables replaced, so `promtool check rules` parses the PromQL.
"""
import json
import re
import sys

dash_path, rules_path, exprs_path = sys.argv[1:4]
errors = []
d = json.load(open(dash_path))

if d.get("schemaVersion", 0) < 36:
    errors.append("schemaVersion %s < 36" % d.get("schemaVersion"))
variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
inst = variables.get("instance")
if not inst or inst.get("type") != "query" or not inst.get("multi"):
    errors.append("no multi-value query variable $instance")

exprs = []  # (where, expr)
for name, v in variables.items():
    q = v.get("query")
    if v.get("type") == "query":
        q = q.get("query") if isinstance(q, dict) else q
        exprs.append(("variable $%s" % name, q))

ids = set()
panels = list(d.get("panels", []))
for p in panels:
    panels.extend(p.get("panels", []))  # rows
    if p.get("type") == "row":
        continue
    title = p.get("title", "?")
    if p.get("id") in ids:
        errors.append("panel %r: duplicate id %s" % (title, p.get("id")))
    ids.add(p.get("id"))
    if not p.get("targets"):
        errors.append("panel %r: no targets" % title)
    for t in p.get("targets", []):
        if not t.get("expr"):
            errors.append("panel %r target %s: no expr" % (title, t.get("refId")))
        else:
            exprs.append(("panel %r" % title, t["expr"]))
        for lbl in re.findall(r"\{\{\s*(\w+)\s*\}\}", t.get("legendFormat", "")):
            exprs.append(("panel %r legend" % title, "{{%s}}" % lbl))

if errors:
    sys.exit("grafana: " + "; ".join(errors))

with open(exprs_path, "w") as f:
    for _, e in exprs:
        f.write(e.replace("\n", " ") + "\n")
with open(rules_path, "w") as f:
    f.write("groups:\n  - name: grafana-exprs\n    rules:\n")
    n = 0
    for where, e in exprs:
        if e.startswith("{{"):
            continue
        # label_values() is Grafana's, not PromQL: check its selector.
        m = re.fullmatch(r"label_values\((.*),\s*\w+\)", e.strip())
        if m:
            e = m.group(1)
        e = e.replace("$instance", ".+").replace("${instance}", ".+")
        n += 1
        f.write("      # grafana:expr_%d: %s\n" % (n, where))
        f.write("      - record: grafana:expr_%d\n        expr: %s\n" % (n, json.dumps(e)))
print("%d panels, %d expressions" % (len(ids), n))
