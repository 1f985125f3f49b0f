#!/usr/bin/env python3
"""Check a results.json against Gradescope's autograder format: the
required top-level fields and each test's fields, with their JSON types;
the total equals the sum of the test scores; each score is within
[0, max_score].  Optional: --score X (the expected total) and
--max Y (the expected sum of max_score).  Exit 1 with a message on any
mismatch."""
import json
import sys


def fail(msg):
    print("check_results: " + msg)
    sys.exit(1)


def main():
    args = sys.argv[1:]
    if not args:
        fail("usage: check_results.py results.json [--score X] [--max Y]")
    path = args.pop(0)
    want = {}
    while args:
        k = args.pop(0)
        want[k] = float(args.pop(0))
    try:
        with open(path) as f:
            r = json.load(f)
    except Exception as e:  # noqa: BLE001 - any parse error fails the check
        fail("%s: not JSON: %s" % (path, e))
    if not isinstance(r, dict):
        fail("top level is not an object")
    num = (int, float)
    for key, typ in (("score", num), ("execution_time", num), ("output", str), ("tests", list)):
        if key not in r:
            fail("missing top-level field '%s'" % key)
        if not isinstance(r[key], typ) or isinstance(r[key], bool):
            fail("'%s' has the wrong type (%s)" % (key, type(r[key]).__name__))
    if r.get("visibility", "visible") not in ("hidden", "after_due_date", "after_published", "visible"):
        fail("bad visibility %r" % r.get("visibility"))
    total = 0.0
    maxsum = 0.0
    for i, t in enumerate(r["tests"]):
        if not isinstance(t, dict):
            fail("test %d is not an object" % i)
        for key, typ in (("name", str), ("score", num), ("max_score", num), ("output", str), ("visibility", str)):
            if key not in t:
                fail("test %d: missing '%s'" % (i, key))
            if not isinstance(t[key], typ) or isinstance(t[key], bool):
                fail("test %d: '%s' has the wrong type" % (i, key))
        if t["visibility"] not in ("hidden", "after_due_date", "after_published", "visible"):
            fail("test %d: bad visibility %r" % (i, t["visibility"]))
        if not (0 <= t["score"] <= t["max_score"] + 1e-9):
            fail("test %d: score %s outside [0, %s]" % (i, t["score"], t["max_score"]))
        total += t["score"]
        maxsum += t["max_score"]
    if abs(total - r["score"]) > 0.011:
        fail("score %s is not the sum of the tests' scores %s" % (r["score"], total))
    if "--score" in want and abs(r["score"] - want["--score"]) > 0.005:
        fail("score %s, expected %s" % (r["score"], want["--score"]))
    if "--max" in want and abs(maxsum - want["--max"]) > 0.005:
        fail("max score %s, expected %s" % (maxsum, want["--max"]))
    print("results.json ok: score %g / %g, %d tests" % (r["score"], maxsum, len(r["tests"])))


main()
