#!/usr/bin/env python3
"""Check the labels (and label values) the rules and dashboard use.

Usage: labels_check.py --emitted PROM_FILE FILE...
       labels_check.py --scrape TRACER_C_FILE... -- FILE...

Every `lutrace_NAME{label op "value"}` matcher in FILE must name a label that
lutrace emits for NAME; with --emitted, a value matched with = or a plain
a|b|c alternation must also be one lutrace emitted (rule names, verdicts,
causes, phases), so a renamed verify rule cannot silently stop an alert.
Labels in by(...), on(...), {{label}} and $labels.label must be lutrace's or
Prometheus' own (instance, job, alertname, alertstate). With --scrape, label
names come from the prom_*() label arrays in tracer/**/*.c and values are not
checked.
"""
import re
import sys
from collections import defaultdict

OWN = {"instance", "job", "alertname", "alertstate", "severity", "__name__"}
MATCHER = re.compile(r'(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"')

args = sys.argv[1:]
labels = defaultdict(set)           # metric -> label names
values = defaultdict(set)           # label -> values
check_values = False
if args[0] == "--emitted":
    check_values = True
    used_files = args[2:]
    for line in open(args[1]):
        m = re.match(r"(lutrace_\w+)(?:\{(.*)\})? ", line)
        if not m:
            continue
        labels[m.group(1)]
        for k, _, v in MATCHER.findall(m.group(2) or ""):
            labels[m.group(1)].add(k)
            values[k].add(v)
else:
    sep = args.index("--")
    used_files = args[sep + 1:]
    names = set()
    for path in args[1:sep]:
        src = open(path).read()
        for arr in re.findall(r"\(const char \*const\[\]\)\s*\{([^}]*)\}", src):
            parts = [p.strip() for p in arr.split(",")]
            names.update(p.strip('"') for p in parts[0::2] if p.startswith('"'))
    for metric in set(re.findall(r'prom_family\(\s*[^,]+,\s*"(lutrace_\w+)"',
                                 "".join(open(p).read() for p in args[1:sep]))):
        labels[metric] = names
all_labels = set().union(*labels.values()) | OWN

errors = []
nmatch = 0
for path in used_files:
    text = open(path).read()
    for metric, body in re.findall(r"\b(lutrace_\w+)\{([^}]*)\}", text):
        if metric not in labels:
            continue  # unknown names are reported by check.sh
        for k, op, v in MATCHER.findall(body):
            nmatch += 1
            if k in OWN:
                continue
            if k not in labels[metric]:
                errors.append("%s: %s has no label %r" % (path, metric, k))
            elif check_values and "$" not in v:
                alts = v.split("|") if op in ("=~", "!~") and re.fullmatch(r"[\w:.|-]+", v) else \
                    [v] if op in ("=", "!=") else []
                for a in alts:
                    if a not in values[k]:
                        errors.append("%s: %s{%s=%r}: lutrace emits no such %s (it has: %s)"
                                      % (path, metric, k, a, k, " ".join(sorted(values[k]))))
    used = set()
    for group in re.findall(r"\b(?:by|on|without|ignoring|group_left|group_right)\s*\(([^)]*)\)", text):
        used.update(x.strip() for x in group.split(",") if x.strip())
    used.update(re.findall(r"\{\{\s*(\w+)\s*\}\}", text))
    used.update(re.findall(r"\$labels\.(\w+)", text))
    for lbl in sorted(used - all_labels):
        errors.append("%s: label %r is not one lutrace emits" % (path, lbl))

if errors:
    sys.exit("\n".join(sorted(set(errors))))
print("%d label matchers%s checked" % (nmatch, " and their values" if check_values else ""))
