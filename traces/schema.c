/* traces/schema.c - the trace database schema and the event-type tables.
 *
 * The schema is versioned by PRAGMA user_version (TRACE_SCHEMA_VERSION) and
 * documented in docs/trace-schema.md; change both together.  The name and
 * field tables here are indexed by enum trace_event_type and must list every
 * type of TRACE_EVENT_TYPES (a static assertion keeps them in step).
 */
#include <stdint.h>

#include "traces/trace_internal.h"

static const char *const event_names[] = {
	"run_start", "run_end", "alloc_pages", "free_pages", "alloc_fail",
	"wakeup_kswapd", "direct_reclaim", "bad_page", "slab_alloc", "slab_free",
	"slab_new", "slab_discard", "slab_error", "kmalloc", "kfree",
	"cache_create", "cache_destroy", "pgtable_alloc", "pgtable_free", "tlb_miss",
	"walk", "tlb_flush", "vmalloc", "vfree", "page_fault",
	"map", "unmap", "cr3_switch", "signal", "fork",
	"exec", "exit", "syscall", "cow", "sched",
	"vma", "reclaim", "kswapd", "swap_out", "swap_in",
	"refault", "lru_move", "oom_kill",
};
_Static_assert(sizeof(event_names) / sizeof(event_names[0]) == TEV__COUNT,
	       "traces/schema.c: event_names must list every TRACE_EVENT_TYPES entry");

#define Z F_ZONE
#define O F_ORDER
#define P F_PFN
#define A F_ADDR
#define I F_IP
#define S F_SIZE
#define G F_GFP
#define V F_VALUE
#define C F_CACHE
#define D F_DETAIL
/* Fields each type uses (see trace.h); a used field is stored even when 0.
 * An unused field is stored as NULL unless the emitter set it anyway. */
static const uint16_t event_fields[] = {
	[TEV_RUN_START] = D,
	[TEV_RUN_END] = V,
	[TEV_ALLOC_PAGES] = P | O | Z | G,
	[TEV_FREE_PAGES] = P | O | Z,
	[TEV_ALLOC_FAIL] = O | G | D,
	[TEV_WAKEUP_KSWAPD] = Z | O,
	[TEV_DIRECT_RECLAIM] = Z | O | V,
	[TEV_BAD_PAGE] = P | D,
	[TEV_SLAB_ALLOC] = C | A | S,
	[TEV_SLAB_FREE] = C | A,
	[TEV_SLAB_NEW] = C | P | O,
	[TEV_SLAB_DISCARD] = C | P | O,
	[TEV_SLAB_ERROR] = C | A | D,
	[TEV_KMALLOC] = A | S | V,
	[TEV_KFREE] = A,
	[TEV_CACHE_CREATE] = C | S | V,
	[TEV_CACHE_DESTROY] = C,
	[TEV_PGTABLE_ALLOC] = P | V,
	[TEV_PGTABLE_FREE] = P | V,
	[TEV_TLB_MISS] = A | V | D,
	[TEV_WALK] = A | P | V | D,
	[TEV_TLB_FLUSH] = A | V | D,
	[TEV_VMALLOC] = A | S,
	[TEV_VFREE] = A | S,
	[TEV_PAGE_FAULT] = A | I | V | D,
	[TEV_MAP] = A | S | D,
	[TEV_UNMAP] = A | S,
	[TEV_CR3_SWITCH] = V | P,
	[TEV_SIGNAL] = A | I | V | D,
	[TEV_FORK] = V | S | D,
	[TEV_EXEC] = V | D,
	[TEV_EXIT] = V,
	[TEV_SYSCALL] = V | S | D,
	[TEV_COW] = A | P,
	[TEV_SCHED] = V,
	[TEV_VMA] = A | S | D,
	[TEV_RECLAIM] = Z | O | S | V | D,
	[TEV_KSWAPD] = Z | O | P | A | S | V | D,
	[TEV_SWAP_OUT] = P | V,
	[TEV_SWAP_IN] = P | A | V | D,
	[TEV_REFAULT] = P | V | S | D,
	[TEV_LRU_MOVE] = P | V | D,
	[TEV_OOM_KILL] = V | O | G | S | D,
};
_Static_assert(sizeof(event_fields) / sizeof(event_fields[0]) == TEV__COUNT,
	       "traces/schema.c: event_fields must list every TRACE_EVENT_TYPES entry");

/* Trace level at which each type is stored (default TRACE_LEVEL_EVENTS). */
const uint8_t trace_type_level[TEV__COUNT] = {
	[TEV_TLB_MISS] = TRACE_LEVEL_TLB,
	[TEV_WALK] = TRACE_LEVEL_TLB,
	[TEV_LRU_MOVE] = TRACE_LEVEL_TLB,
};

/* The schema (version TRACE_SCHEMA_VERSION).  Tables are generic in the
 * event type: a new TRACE_EVENT_TYPES entry needs no change here (its name
 * reaches event_types, and every view joins on that name). */
const char *const trace_schema_sql =
	"CREATE TABLE runs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  tool_version TEXT NOT NULL,\n"
	"  schema_version INTEGER NOT NULL,\n"
	"  config TEXT,\n"
	"  machine TEXT,\n"
	"  cmdline TEXT,\n"
	"  program TEXT,\n"
	"  program_path TEXT,\n"
	"  program_sha256 TEXT,\n"
	"  argv TEXT,\n"
	"  programs TEXT,\n"
	"  oom_rules TEXT,\n"
	"  env TEXT,\n"
	"  cwd TEXT,\n"
	"  stdin_sha256 TEXT,\n"
	"  seed INTEGER,\n"
	"  sample_every INTEGER,\n"
	"  started_at TEXT,\n"
	"  ended_at TEXT,\n"
	"  finished INTEGER NOT NULL DEFAULT 0,\n"
	"  finish_reason TEXT,\n"
	"  exit_status INTEGER,\n"
	"  instructions INTEGER,\n"
	"  events INTEGER,\n"
	"  summary_text TEXT,\n"
	"  summary_json TEXT\n"
	");\n"
	"CREATE TABLE inputs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  kind TEXT NOT NULL,\n"
	"  path TEXT NOT NULL,\n"
	"  host_path TEXT,\n"
	"  size INTEGER NOT NULL,\n"
	"  sha256 TEXT NOT NULL,\n"
	"  seq INTEGER\n"
	");\n"
	"CREATE TABLE event_types (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  level INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE events (\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  time INTEGER NOT NULL,\n"
	"  pid INTEGER NOT NULL,\n"
	"  type INTEGER NOT NULL,\n"
	"  zone INTEGER,\n"
	"  \"order\" INTEGER,\n"
	"  pfn INTEGER,\n"
	"  addr INTEGER,\n"
	"  ip INTEGER,\n"
	"  size INTEGER,\n"
	"  gfp INTEGER,\n"
	"  value INTEGER,\n"
	"  cache TEXT,\n"
	"  detail TEXT,\n"
	"  vma INTEGER,\n"
	"  state_delta BLOB,\n"
	"  view_delta BLOB\n"
	");\n"
	"CREATE TABLE checkpoints (\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  layout TEXT NOT NULL,\n"
	"  state BLOB NOT NULL,\n"
	"  views BLOB\n"
	");\n"
	"CREATE TABLE vmas (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  pid INTEGER NOT NULL,\n"
	"  start INTEGER NOT NULL,\n"
	"  \"end\" INTEGER NOT NULL,\n"
	"  line TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE samples (\n"
	"  time INTEGER NOT NULL,\n"
	"  seq INTEGER NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  pid INTEGER,\n"
	"  zone TEXT,\n"
	"  \"order\" INTEGER,\n"
	"  name TEXT NOT NULL,\n"
	"  value INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE insns (\n"
	"  addr INTEGER PRIMARY KEY,\n"
	"  bytes BLOB,\n"
	"  text TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE counters (\n"
	"  name TEXT PRIMARY KEY,\n"
	"  value INTEGER NOT NULL\n"
	");\n"
	"CREATE VIEW events_named AS\n"
	"  SELECT e.seq, e.time, e.pid, e.type, t.name AS type_name, e.zone, e.\"order\", e.pfn,\n"
	"         e.addr, e.ip, e.size, e.gfp, e.value, e.cache, e.detail\n"
	"  FROM events e JOIN event_types t ON t.id = e.type;\n"
	"CREATE VIEW faults AS\n"
	"  SELECT e.seq, e.time, e.pid, e.addr, e.ip, e.value AS error_code,\n"
	"         CASE WHEN e.detail LIKE '% major' THEN substr(e.detail, 1, length(e.detail) - 6) ELSE e.detail END\n"
	"           AS kind, e.pfn, e.vma, e.detail LIKE '% major' AS major\n"
	"  FROM events e JOIN event_types t ON t.id = e.type WHERE t.name = 'page_fault';\n"
	"CREATE VIEW faults_per_vma AS\n"
	"  SELECT coalesce(v.pid, f.pid) AS pid, coalesce(v.line, '(no VMA: an address no VMA maps)') AS vma,\n"
	"         count(*) AS faults,\n"
	"         sum(f.kind = 'anon') AS anon, sum(f.kind = 'zero') AS zero, sum(f.kind = 'file') AS file,\n"
	"         sum(f.kind = 'cow') AS cow, sum(f.kind = 'swap') AS swap,\n"
	"         sum(f.kind NOT IN ('anon', 'zero', 'file', 'cow', 'swap')) AS other, sum(f.major) AS major\n"
	"  FROM faults f LEFT JOIN vmas v ON v.id = f.vma\n"
	"  GROUP BY f.vma, CASE WHEN f.vma IS NULL THEN f.pid END ORDER BY faults DESC, v.id;\n"
	"CREATE VIEW faults_per_rip AS\n"
	"  SELECT f.ip, printf('%#x', f.ip) AS rip,\n"
	"         coalesce(i.text, CASE WHEN f.ip = 0 THEN '(the kernel, for the process: exec, system calls)' END)\n"
	"           AS insn, count(*) AS faults, count(DISTINCT f.pid) AS processes\n"
	"  FROM faults f LEFT JOIN insns i ON i.addr = f.ip GROUP BY f.ip ORDER BY faults DESC;\n"
	"CREATE VIEW faults_over_time AS\n"
	"  SELECT f.pid, f.time / coalesce((SELECT sample_every FROM runs WHERE id = 1), 1000000) AS interval,\n"
	"         f.kind, count(*) AS faults\n"
	"  FROM faults f GROUP BY 1, 2, 3 ORDER BY 2, 1, 3;\n"
	"CREATE VIEW reclaim_timeline AS\n"
	"  SELECT e.seq, e.time, e.pid, t.name AS event, e.zone, e.\"order\", e.value, e.size, e.detail\n"
	"  FROM events e JOIN event_types t ON t.id = e.type\n"
	"  WHERE t.name LIKE '%reclaim%' OR t.name LIKE '%kswapd%' OR t.name LIKE 'lru%' OR t.name LIKE '%shrink%'\n"
	"     OR t.name LIKE 'swap%' OR t.name LIKE 'mm_vmscan%'\n"
	"  ORDER BY e.seq;\n"
	"CREATE VIEW oom_kills AS\n"
	"  SELECT e.seq, e.time, e.pid, t.name AS event, e.value, e.size, e.pfn, e.detail\n"
	"  FROM events e JOIN event_types t ON t.id = e.type\n"
	"  WHERE t.name LIKE 'oom%' ORDER BY e.seq;\n"
	"CREATE VIEW reclaim_per_interval AS\n"
	"  SELECT e.time / coalesce((SELECT sample_every FROM runs WHERE id = 1), 1000000) AS interval,\n"
	"         sum(t.name = 'reclaim' AND e.detail = 'kswapd') AS kswapd_passes,\n"
	"         sum(t.name = 'reclaim' AND e.detail = 'direct') AS direct_passes,\n"
	"         coalesce(sum(CASE WHEN t.name = 'reclaim' THEN e.size END), 0) AS scanned,\n"
	"         coalesce(sum(CASE WHEN t.name = 'reclaim' THEN e.value END), 0) AS reclaimed,\n"
	"         sum(t.name = 'kswapd' AND e.detail = 'wake') AS kswapd_wakes,\n"
	"         sum(t.name = 'kswapd' AND e.detail IN ('nap', 'sleep')) AS kswapd_sleeps,\n"
	"         sum(t.name = 'swap_out') AS swap_out, sum(t.name = 'swap_in') AS swap_in,\n"
	"         sum(t.name = 'refault') AS refaults, sum(t.name = 'oom_kill') AS oom_kills\n"
	"  FROM events e JOIN event_types t ON t.id = e.type\n"
	"  WHERE t.name IN ('reclaim', 'kswapd', 'swap_out', 'swap_in', 'refault', 'oom_kill')\n"
	"  GROUP BY 1 ORDER BY 1;\n"
	"CREATE VIEW oom_candidates AS\n"
	"  WITH RECURSIVE split(seq, time, victim, rest, item) AS (\n"
	"    SELECT e.seq, e.time, e.value, coalesce(e.detail, '') || ' ', NULL\n"
	"    FROM events e JOIN event_types t ON t.id = e.type WHERE t.name = 'oom_kill'\n"
	"    UNION ALL\n"
	"    SELECT seq, time, victim, substr(rest, instr(rest, ' ') + 1), substr(rest, 1, instr(rest, ' ') - 1)\n"
	"    FROM split WHERE rest <> ''),\n"
	"  parts(seq, time, victim, pid, tail) AS (\n"
	"    SELECT seq, time, victim, CAST(substr(item, 1, instr(item, ':') - 1) AS INTEGER),\n"
	"           substr(item, instr(item, ':') + 1)\n"
	"    FROM split WHERE item IS NOT NULL AND item <> '')\n"
	"  SELECT seq, time, victim, pid, substr(tail, 1, instr(tail, ':') - 1) AS comm,\n"
	"         CASE WHEN substr(tail, instr(tail, ':') + 1) = 'never' THEN NULL\n"
	"              ELSE CAST(substr(tail, instr(tail, ':') + 1) AS INTEGER) END AS badness,\n"
	"         substr(tail, instr(tail, ':') + 1) <> 'never' AS killable, pid = victim AS chosen\n"
	"  FROM parts ORDER BY seq, badness DESC;\n"
	"CREATE VIEW tlb_shootdowns AS\n"
	"  SELECT e.pid, e.time / coalesce((SELECT sample_every FROM runs WHERE id = 1), 1000000) AS interval,\n"
	"         count(*) AS flushes, sum(e.detail NOT LIKE '%(%' AND e.value > 0) AS shootdowns,\n"
	"         sum(e.detail LIKE '%(ipi)') AS ipis, sum(e.detail LIKE '%(deferred)') AS deferred\n"
	"  FROM events e JOIN event_types t ON t.id = e.type WHERE t.name = 'tlb_flush'\n"
	"  GROUP BY 1, 2 ORDER BY 2, 1;\n"
	"CREATE VIEW hottest_pages AS\n"
	"  SELECT e.pid, printf('%x', e.addr & ~4095) AS page, count(*) AS events,\n"
	"         sum(t.name = 'page_fault') AS faults, sum(t.name = 'tlb_miss') AS tlb_misses\n"
	"  FROM events e JOIN event_types t ON t.id = e.type\n"
	"  WHERE t.name IN ('page_fault', 'tlb_miss', 'cow')\n"
	"  GROUP BY e.pid, e.addr & ~4095 ORDER BY events DESC;\n"
	"CREATE VIEW tlb_misses_per_minsn AS\n"
	"  SELECT s.time, s.name, s.value,\n"
	"         1e6 * (s.value - lag(s.value, 1, 0) OVER w) / max(1, s.time - lag(s.time, 1, 0) OVER w) AS per_million\n"
	"  FROM samples s WHERE s.kind = 'tlb' AND s.name LIKE '%misses'\n"
	"  WINDOW w AS (PARTITION BY s.name ORDER BY s.time);\n";

const char *trace_event_name(unsigned type)
{
	return type < TEV__COUNT ? event_names[type] : "unknown";
}

/* Fields TYPE uses (F_* bits), 0 for an unknown type. */
unsigned trace_event_fields(unsigned type)
{
	return type < TEV__COUNT ? event_fields[type] : 0;
}
