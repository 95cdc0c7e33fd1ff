"""A reference evaluator for the PromQL the dashboard uses, on given samples.

The live Prometheus test (prom_live_test.py) compares what a real Prometheus
answers for every dashboard query with what these expressions mean on the
samples `lutrace metrics` wrote. Only the subset the dashboard needs is
known here: instant selectors with =, !=, =~ and !~ matchers; sum, min, max
and count, with or without by (...); + - * / between two vectors (one-to-one
on all labels) or a vector and a number; comparisons (== != > < >= <=) that
filter; time(); vector(N); numbers. Anything else raises Unsupported, so a new kind of
query needs saying what it means before the test passes.

A vector is a dict: frozenset of (label, value) pairs, __name__ included
for a plain selection -> float.
"""
import operator
import re


class Unsupported(Exception):
    pass


TOKEN = re.compile(r'\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>"(?:[^"\\]|\\.)*")'
                   r'|(?P<op>=~|!~|==|!=|>=|<=|[-+*/(){},=<>])|(?P<id>[a-zA-Z_:][a-zA-Z0-9_:]*))')
ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
COMPARE = {"==": operator.eq, "!=": operator.ne, ">": operator.gt, "<": operator.lt,
           ">=": operator.ge, "<=": operator.le}
AGGS = {"sum": sum, "min": min, "max": max, "count": len}


def tokens(text):
    pos, out = 0, []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip():
                raise Unsupported("cannot read %r" % text[pos:])
            break
        pos = m.end()
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
    return out


class Evaluator:
    def __init__(self, samples, now):
        self.samples = samples  # list of (labels dict incl. __name__, value)
        self.now = now

    def evaluate(self, text):
        self.toks, self.i = tokens(text), 0
        v = self.expr(0)
        if self.i != len(self.toks):
            raise Unsupported("left over: %r" % (self.toks[self.i:],))
        if not isinstance(v, dict):
            raise Unsupported("a scalar result")
        return v

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, want=None):
        tok = self.peek()
        if want is not None and tok[1] != want:
            raise Unsupported("expected %r, got %r" % (want, tok[1]))
        self.i += 1
        return tok

    # Precedence, low to high: comparisons, + -, * /.
    LEVELS = [COMPARE, {"+": 1, "-": 1}, {"*": 1, "/": 1}]

    def expr(self, level):
        if level == len(self.LEVELS):
            return self.unary()
        left = self.expr(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self.LEVELS[level]:
            op = self.take()[1]
            right = self.expr(level + 1)
            left = self.binary(op, left, right)
        return left

    def binary(self, op, a, b):
        fn = COMPARE.get(op) or ARITH[op]
        if not isinstance(a, dict) and not isinstance(b, dict):
            return fn(a, b)
        if op in COMPARE:
            if isinstance(b, dict):
                raise Unsupported("comparison with a vector on the right")
            return {k: v for k, v in a.items() if fn(v, b)}
        drop = lambda k: frozenset(p for p in k if p[0] != "__name__")
        if isinstance(a, dict) and isinstance(b, dict):
            bm = {drop(k): v for k, v in b.items()}
            return {drop(k): fn(v, bm[drop(k)]) for k, v in a.items() if drop(k) in bm}
        if isinstance(a, dict):
            return {drop(k): fn(v, b) for k, v in a.items()}
        return {drop(k): fn(a, v) for k, v in b.items()}

    def unary(self):
        kind, val = self.take()
        if kind == "num":
            return float(val)
        if val == "(":
            v = self.expr(0)
            self.take(")")
            return v
        if kind != "id":
            raise Unsupported("unexpected %r" % val)
        if val == "time" and self.peek()[1] == "(":
            self.take("(")
            self.take(")")
            return float(self.now)
        if val == "vector" and self.peek()[1] == "(":
            self.take("(")
            v = self.expr(0)
            self.take(")")
            if isinstance(v, dict):
                raise Unsupported("vector() of a vector")
            return {frozenset(): v}
        if val in AGGS and self.peek()[1] in ("(", "by"):
            return self.aggregate(val)
        return self.selector(val)

    def aggregate(self, name):
        by = None
        if self.peek()[1] == "by":
            self.take()
            self.take("(")
            by = []
            while self.peek()[1] != ")":
                by.append(self.take()[1])
                if self.peek()[1] == ",":
                    self.take()
            self.take(")")
        self.take("(")
        inner = self.expr(0)
        self.take(")")
        groups = {}
        for k, v in inner.items():
            key = frozenset(p for p in k if by is not None and p[0] in by)
            groups.setdefault(key, []).append(v)
        return {k: float(AGGS[name](vs)) for k, vs in groups.items()}

    def selector(self, name):
        matchers = [("__name__", "=", name)]
        if self.peek()[1] == "{":
            self.take()
            while self.peek()[1] != "}":
                label = self.take()[1]
                op = self.take()[1]
                kind, s = self.take()
                if kind != "str":
                    raise Unsupported("matcher value %r" % s)
                matchers.append((label, op, s[1:-1].encode().decode("unicode_escape")))
                if self.peek()[1] == ",":
                    self.take()
            self.take("}")
        out = {}
        for labels, v in self.samples:
            if all(self.match(labels.get(l, ""), op, s) for l, op, s in matchers):
                out[frozenset(labels.items())] = v
        return out

    @staticmethod
    def match(have, op, want):
        if op == "=":
            return have == want
        if op == "!=":
            return have != want
        hit = re.fullmatch(want, have) is not None
        if op == "=~":
            return hit
        if op == "!~":
            return not hit
        raise Unsupported("matcher %s" % op)
