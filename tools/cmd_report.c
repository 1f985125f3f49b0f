/* tools/cmd_report.c - `mmsim report RUN.db -o report.html`.
 *
 * One self-contained HTML file: the charts' data is embedded as JSON in a
 * <script type="application/json"> element and drawn as inline SVG by a
 * small inline script; nothing is fetched.  Each chart is one SQL query
 * over the samples table returning (series, time, value) rows, so a
 * counter that a newer mmsim samples shows up without a change here (the
 * reclaim chart takes every pgscan and pgsteal counter of /proc/vmstat).
 * OOM kills (events named oom_kill*) are marked on every chart.  Zones
 * without present pages (Normal on a 256M machine) are left out.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/cmd_tracedb.h"

struct chart {
	const char *id, *title, *unit, *sql;
};

#define DELTA(kindcond) \
	"SELECT name, time, value - lag(value, 1, value) OVER (PARTITION BY name ORDER BY time) FROM samples WHERE " kindcond \
	" ORDER BY name, time"

static const struct chart charts[] = {
	{ "free", "Free pages against the zone watermarks", "pages",
	  "SELECT zone || ' ' || name, time, value FROM samples WHERE kind = 'zone' "
	  "AND name IN ('free', 'min', 'low', 'high') AND zone IN " TRACEDB_ZONES_WITH_PAGES " "
	  "ORDER BY zone, name, time" },
	{ "rss", "RSS and swap per process", "kB",
	  "SELECT 'pid ' || pid || ' ' || name, time, value FROM samples WHERE kind = 'proc' "
	  "AND name IN ('rss_kb', 'swap_kb') ORDER BY pid, name, time" },
	{ "faults", "Page faults per interval, by kind", "faults", DELTA("kind = 'faults'") },
	{ "tlb", "TLB misses per million instructions", "misses / M insns",
	  "SELECT name, time, 1e6 * (value - lag(value, 1, value) OVER w) / max(1, time - lag(time, 1, 0) OVER w) "
	  "FROM samples WHERE kind = 'tlb' AND name LIKE '%-misses' WINDOW w AS (PARTITION BY name ORDER BY time) "
	  "ORDER BY name, time" },
	{ "reclaim", "Reclaim: pages scanned and stolen per interval", "pages",
	  DELTA("kind = 'vmstat' AND (name LIKE 'pgscan%' OR name LIKE 'pgsteal%')") },
};

/* A JSON string that is also safe inside <script> ("<" escaped). */
static void put_js_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void put_html(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Chart C's series as JSON.  Returns 0 or -1 (SQLite error). */
static int put_chart(FILE *f, sqlite3 *db, const struct chart *c)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, c->sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	fputs("{\"id\":", f);
	put_js_string(f, c->id);
	fputs(",\"title\":", f);
	put_js_string(f, c->title);
	fputs(",\"unit\":", f);
	put_js_string(f, c->unit);
	fputs(",\"series\":[", f);
	char last[256] = "";
	bool any = false;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (!any || strcmp(name, last)) {
			if (any)
				fputs("]},", f);
			fputs("{\"name\":", f);
			put_js_string(f, name);
			fputs(",\"points\":[", f);
			snprintf(last, sizeof last, "%s", name);
			any = true;
		} else {
			fputc(',', f);
		}
		fprintf(f, "[%lld,%.6g]", (long long)sqlite3_column_int64(st, 1), sqlite3_column_double(st, 2));
	}
	fputs(any ? "]}]}" : "]}", f);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char page_js[] =
	"(function(){\n"
	"var d=JSON.parse(document.getElementById('data').textContent);\n"
	"var NS='http://www.w3.org/2000/svg',W=900,H=300,L=70,R=230,T=20,B=40;\n"
	"var colors=['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];\n"
	"function el(n,a,p){var e=document.createElementNS(NS,n);for(var k in a)e.setAttribute(k,a[k]);if(p)p.appendChild(e);return e;}\n"
	"var drawn=0;\n"
	"d.charts.forEach(function(c){\n"
	" var box=document.getElementById('chart-'+c.id);\n"
	" var svg=el('svg',{width:W,height:H,viewBox:'0 0 '+W+' '+H},box);\n"
	" var x0=Infinity,x1=-Infinity,y1=0;\n"
	" c.series.forEach(function(s){s.points.forEach(function(p){x0=Math.min(x0,p[0]);x1=Math.max(x1,p[0]);y1=Math.max(y1,p[1]);});});\n"
	" if(!isFinite(x0)){x0=0;x1=1;} if(x1<=x0)x1=x0+1; if(y1<=0)y1=1;\n"
	" function X(v){return L+(v-x0)/(x1-x0)*(W-L-R);} function Y(v){return H-B-v/y1*(H-T-B);}\n"
	" el('line',{x1:L,y1:H-B,x2:W-R,y2:H-B,stroke:'#000'},svg); el('line',{x1:L,y1:T,x2:L,y2:H-B,stroke:'#000'},svg);\n"
	" for(var i=0;i<=4;i++){var v=y1*i/4,t=el('text',{x:L-5,y:Y(v)+4,'text-anchor':'end','font-size':10},svg);t.textContent=+v.toPrecision(3);\n"
	"  var u=x0+(x1-x0)*i/4,t2=el('text',{x:X(u),y:H-B+14,'text-anchor':'middle','font-size':10},svg);t2.textContent=Math.round(u).toLocaleString();}\n"
	" var xl=el('text',{x:(L+W-R)/2,y:H-5,'text-anchor':'middle','font-size':11},svg);xl.textContent='guest time (instructions)';\n"
	" var yl=el('text',{x:12,y:T+(H-T-B)/2,'font-size':11,transform:'rotate(-90 12 '+(T+(H-T-B)/2)+')','text-anchor':'middle'},svg);yl.textContent=c.unit;\n"
	" c.series.forEach(function(s,i){var col=colors[i%colors.length];\n"
	"  el('polyline',{points:s.points.map(function(p){return X(p[0]).toFixed(1)+','+Y(p[1]).toFixed(1);}).join(' '),fill:'none',stroke:col,'stroke-width':1.5},svg);\n"
	"  el('rect',{x:W-R+10,y:T+i*14,width:10,height:10,fill:col},svg);\n"
	"  var t=el('text',{x:W-R+24,y:T+i*14+9,'font-size':10},svg);t.textContent=s.name;});\n"
	" d.oom.forEach(function(o){if(o.t<x0||o.t>x1)return;el('line',{x1:X(o.t),x2:X(o.t),y1:T,y2:H-B,stroke:'red','stroke-dasharray':'4 2'},svg);\n"
	"  var t=el('text',{x:X(o.t)+2,y:T+10,fill:'red','font-size':10},svg);t.textContent=o.label;});\n"
	" drawn++;\n"
	"});\n"
	"document.body.setAttribute('data-charts-drawn',drawn);\n"
	"})();\n";

int cmd_report(int argc, char **argv)
{
	const char *path = NULL, *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: mmsim report RUN.db -o REPORT.html\n"
			     "Write one self-contained HTML page (inline SVG and script, no network) with\n"
			     "charts over guest time: free pages against the zone watermarks, RSS and swap\n"
			     "per process, page faults per interval by kind, TLB misses per million\n"
			     "instructions, reclaim scans and steals, OOM kills marked; and the summary.");
			return 0;
		} else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (++i == argc) {
				fputs("mmsim report: -o needs a file name\n", stderr);
				return 2;
			}
			out = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "mmsim report: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (!path) {
			path = argv[i];
		} else {
			fprintf(stderr, "mmsim report: one database at a time ('%s')\n", argv[i]);
			return 2;
		}
	}
	if (!path || !out) {
		fputs("mmsim report: usage: mmsim report RUN.db -o REPORT.html\n", stderr);
		return 2;
	}
	if (tracedb_check_output("report", path, out) != 0)
		return 2;
	sqlite3 *db = tracedb_open("report", path);
	if (!db)
		return 2;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = 0;
	char *summary = tracedb_run_text(db, "summary_text"), *machine = tracedb_run_text(db, "machine"),
	     *cmd = tracedb_run_text(db, "argv"), *reason = tracedb_run_text(db, "finish_reason");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mmsim report</title>\n"
	      "<style>body{font-family:sans-serif;margin:2em}pre{background:#f4f4f4;padding:1em}"
	      "h2{font-size:1.1em}</style>\n</head>\n<body>\n<h1>mmsim run report</h1>\n<p>Program: <code>",
	      f);
	put_html(f, cmd ? cmd : "?");
	fputs("</code><br>Machine: <code>", f);
	put_html(f, machine ? machine : "?");
	fputs("</code><br>Finished: ", f);
	char *fin = tracedb_run_text(db, "finished"), *why = summary ? NULL : tracedb_no_summary(db);
	put_html(f, reason ? reason : fin && strcmp(fin, "0") ? "yes" : "no (the run was killed before its end)");
	fputs("</p>\n", f);
	for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++)
		fprintf(f, "<h2>%s</h2>\n<div class=\"chart\" id=\"chart-%s\"></div>\n", charts[i].title, charts[i].id);
	fputs("<h2>Summary</h2>\n<pre>", f);
	put_html(f, summary ? summary : why ? why : "no summary");
	free(fin);
	free(why);
	fputs("</pre>\n<script type=\"application/json\" id=\"data\">{\"charts\":[", f);
	for (size_t i = 0; i < sizeof charts / sizeof charts[0] && rc == 0; i++) {
		if (i)
			fputc(',', f);
		if (put_chart(f, db, &charts[i]) != 0)
			rc = 2;
	}
	fputs("],\"oom\":[", f);
	sqlite3_stmt *st;
	if (rc == 0 && sqlite3_prepare_v2(db,
					  "SELECT e.time, 'OOM kill of pid ' || e.value || coalesce(' (candidates pid:comm:badness ' || e.detail || ')', '') "
					  "FROM events e JOIN event_types t ON t.id = e.type WHERE t.name LIKE 'oom_kill%' "
					  "ORDER BY e.seq",
					  -1, &st, NULL) == SQLITE_OK) {
		bool first = true;
		while (sqlite3_step(st) == SQLITE_ROW) {
			fprintf(f, "%s{\"t\":%lld,\"label\":", first ? "" : ",", (long long)sqlite3_column_int64(st, 0));
			put_js_string(f, (const char *)sqlite3_column_text(st, 1));
			fputc('}', f);
			first = false;
		}
		sqlite3_finalize(st);
	}
	fprintf(f, "]}</script>\n<script>\n%s</script>\n</body>\n</html>\n", page_js);
	fclose(f);
	if (rc) {
		tracedb_error("report", path, db);
	} else {
		rc = tracedb_write_file("report", out, buf, len);
	}
	free(buf);
	free(summary);
	free(machine);
	free(cmd);
	free(reason);
	sqlite3_close(db);
	return rc;
}
