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
	[TEV_TLB_FLUSH] = A | D,
	[TEV_VMALLOC] = A | S,
	[TEV_VFREE] = A | S,
	[TEV_PAGE_FAULT] = A | I | V | D,
	[TEV_MAP] = A | S | D,
	[TEV_UNMAP] = A | S,
	[TEV_CR3_SWITCH] = V | P,
	[TEV_SIGNAL] = A | I | V | D,
	[TEV_FORK] = V,
	[TEV_EXEC] = D,
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

const char *const trace_schema_sql =
	"CREATE TABLE runs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  tool_version TEXT NOT NULL,\n"
	"  schema_version INTEGER NOT NULL,\n"
	"  config TEXT,\n"
	"  cmdline TEXT,\n"
	"  finished INTEGER NOT NULL DEFAULT 0,\n"
	"  exit_status INTEGER,\n"
	"  events INTEGER\n"
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
	"  detail TEXT\n"
	");\n"
	"CREATE VIEW events_named AS\n"
	"  SELECT e.seq, e.time, e.pid, e.type, t.name AS type_name, e.zone, e.\"order\", e.pfn,\n"
	"         e.addr, e.ip, e.size, e.gfp, e.value, e.cache, e.detail\n"
	"  FROM events e JOIN event_types t ON t.id = e.type;\n";

const char *trace_event_name(unsigned type)
{
	return type < TEV__COUNT ? event_names[type] : "unknown";
}

/* Fields TYPE uses (F_* bits), 0 for an unknown type. */
unsigned trace_event_fields(unsigned type)
{
	return type < TEV__COUNT ? event_fields[type] : 0;
}
