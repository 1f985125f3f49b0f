#!/usr/bin/env python3
"""report_check.py REPORT.html TRACE.json: check `mmsim report` and
`mmsim export --format chrome-trace` output.

The HTML: a well-formed document (every non-void tag closed in order), no
external resource (no src/href to a URL, no script src), every chart's
embedded data has at least one series with points, and its script draws
every chart without an error: run under Node with a minimal DOM when Node
exists, and rendered by headless Chromium when /usr/bin/chromium exists
(no script error on the console, data-charts-drawn set).  The trace:
valid JSON in Chrome's trace event format with process names, running
slices, instant events and counters.

Options after the two files: --reclaim (the reclaim chart has a non-zero
point), --oom (at least one OOM kill is marked on the charts and is a
global instant event in the trace), --threads (some process has several
thread tracks in the trace), --html-only (no trace to check)."""
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile

VOID = {"meta", "br", "img", "input", "link", "hr", "area", "base", "col", "embed", "source", "wbr"}


def fail(msg):
    print("FAIL [report_check]: " + msg, file=sys.stderr)
    sys.exit(1)


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.scripts, self.cur = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href"):
            if k in a and re.match(r"^[a-z]+:", a[k] or ""):
                fail(f"external resource <{tag} {k}={a[k]}>")
        if tag == "script":
            if "src" in a:
                fail("a script with src")
            self.cur = [a.get("type", ""), a.get("id", ""), ""]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            fail(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
        self.stack.pop()
        if tag == "script":
            self.scripts.append(self.cur)
            self.cur = None

    def handle_data(self, data):
        if self.cur is not None:
            self.cur[2] += data


def main():
    page, trace = sys.argv[1], sys.argv[2]
    want = set(sys.argv[3:])
    text = open(page, encoding="utf-8").read()
    if not text.startswith("<!DOCTYPE html>"):
        fail("no doctype")
    c = Checker()
    c.feed(text)
    c.close()
    if c.stack:
        fail(f"unclosed tags {c.stack}")
    data = [s for s in c.scripts if s[1] == "data"]
    code = [s for s in c.scripts if s[0] == ""]
    if len(data) != 1 or len(code) != 1:
        fail("expected one data and one code script")
    d = json.loads(data[0][2])
    if len(d["charts"]) < 5:
        fail("fewer than 5 charts")
    for ch in d["charts"]:
        if not ch["series"] or not any(s["points"] for s in ch["series"]):
            fail(f"chart {ch['id']} has no data")
        if f'id="chart-{ch["id"]}"' not in text:
            fail(f"chart {ch['id']} has no place in the page")
    if "--reclaim" in want:
        rc = [ch for ch in d["charts"] if ch["id"] == "reclaim"]
        pts = [p for s in (rc[0]["series"] if rc else []) for p in s["points"]]
        if not any((p[1] if isinstance(p, list) else p.get("v", p.get("y", 0))) for p in pts):
            fail("the reclaim chart has no scans or steals")
    if "--oom" in want and not d.get("oom"):
        fail("no OOM kill marked on the charts")
    node = "/usr/bin/node"
    if os.path.exists(node):
        prelude = r"""
function E(){this.attrs={};this.children=[];this.textContent='';}
E.prototype.setAttribute=function(k,v){this.attrs[k]=v;};
E.prototype.appendChild=function(c){this.children.push(c);return c;};
var els={},body=new E();
var document={body:body,createElementNS:function(){return new E();},
 getElementById:function(id){if(id==='data')return {textContent:DATA};if(!els[id])els[id]=new E();return els[id];}};
"""
        js = "var DATA=" + json.dumps(data[0][2]) + ";\n" + prelude + code[0][2] + \
             "\nif(body.attrs['data-charts-drawn']!=" + str(len(d["charts"])) + ")throw new Error('drawn '+body.attrs['data-charts-drawn']);\n" + \
             "for(var k in els){var svg=els[k].children[0];if(!svg||!svg.children.some(function(c){return c.attrs.points&&c.attrs.points.length>0;}))throw new Error('empty chart '+k);}\n"
        with tempfile.NamedTemporaryFile("w", suffix=".js") as jf:  # too long for a command line
            jf.write(js)
            jf.flush()
            r = subprocess.run([node, jf.name], capture_output=True, text=True)
        if r.returncode != 0:
            fail("the page's script fails under node: " + r.stderr.strip()[:500])
    chromium = "/usr/bin/chromium"
    if os.path.exists(chromium):
        with tempfile.TemporaryDirectory() as prof:
            r = subprocess.run([chromium, "--headless", "--disable-gpu", "--no-sandbox", "--user-data-dir=" + prof,
                                "--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + os.path.abspath(page)],
                               capture_output=True, text=True, timeout=120)
        if "Uncaught" in r.stderr or 'data-charts-drawn="%d"' % len(d["charts"]) not in r.stdout:
            fail("chromium: script error or charts not drawn: " + r.stderr[-500:])
    if "--html-only" in want:
        return
    t = json.load(open(trace))
    evs = t["traceEvents"]
    phases = {e["ph"] for e in evs}
    for ph in "MXiC":
        if ph not in phases:
            fail(f"trace has no '{ph}' events")
    for e in evs:
        if e["ph"] != "M" and not isinstance(e.get("ts"), (int, float)):
            fail(f"event without ts: {e}")
        if "pid" not in e:
            fail(f"event without pid: {e}")
    if "--oom" in want and not any(e["ph"] == "i" and e["name"] == "oom_kill" and e.get("s") == "g" for e in evs):
        fail("no OOM kill as a global instant event in the trace")
    if "--threads" in want:
        tracks = {}
        for e in evs:
            if e["ph"] == "X":
                tracks.setdefault(e["pid"], set()).add(e["tid"])
        if not any(len(v) > 1 for v in tracks.values()):
            fail(f"no process with several thread tracks: {tracks}")
    print("report_check: ok")


main()
