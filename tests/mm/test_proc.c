/* tests/mm/test_proc.c - /proc text formats and proc_stat_lookup. */
#include "mm_test.h"

static const char *const meminfo_fields[] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive",
	"Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked",
	"SwapTotal", "SwapFree", "Zswap", "Zswapped", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem",
	"KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "SecPageTables",
	"NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit", "Committed_AS", "VmallocTotal", "VmallocUsed",
	"VmallocChunk", "Percpu", "HardwareCorrupted", "AnonHugePages", "ShmemHugePages", "ShmemPmdMapped",
	"FileHugePages", "FilePmdMapped", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd",
	"HugePages_Surp", "Hugepagesize", "Hugetlb", "DirectMap4k", "DirectMap2M", "DirectMap1G",
};

static void test_meminfo_format(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("", &t);
	struct strbuf sb = {0};
	proc_meminfo(m, &sb);
	const char *p = sb.buf;
	size_t nf = sizeof(meminfo_fields) / sizeof(meminfo_fields[0]);
	for (size_t i = 0; i < nf; i++) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		size_t n = strlen(meminfo_fields[i]);
		if (strncmp(p, meminfo_fields[i], n) || p[n] != ':')
			fail_msg("line %zu: '%.*s', want field %s", i, (int)(nl - p), p, meminfo_fields[i]);
		/* show_val_kb: 16-column label, 8-column value, " kB" */
		if (!strncmp(nl - 3, " kB", 3) && strcmp(meminfo_fields[i], "HardwareCorrupted") &&
		    strcmp(meminfo_fields[i], "VmallocTotal")) /* 11 digits overflow the column, as in Linux */
			assert_int_equal(nl - p, 27);
		p = nl + 1;
	}
	assert_string_equal(p, "");
	assert_non_null(strstr(sb.buf, "MemTotal:         262140 kB\n"));
	assert_non_null(strstr(sb.buf, "MemFree:          262140 kB\n"));
	assert_non_null(strstr(sb.buf, "HugePages_Total:       0\n"));
	assert_non_null(strstr(sb.buf, "Hugepagesize:       2048 kB\n"));
	assert_non_null(strstr(sb.buf, "HardwareCorrupted:     0 kB\n"));
	assert_non_null(strstr(sb.buf, "VmallocTotal:   34359738367 kB\n"));
	/* MemAvailable = free - totalreserve (no page cache, no slab yet) */
	char want[64];
	snprintf(want, sizeof(want), "MemAvailable:   %8lu kB\n", (65535 - m->totalreserve_pages) * 4);
	assert_non_null(strstr(sb.buf, want));
	sb_free(&sb);
	mm_free_all(m, t);
}

static void test_buddyinfo_zoneinfo_format(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("", &t);
	struct strbuf sb = {0};
	proc_buddyinfo(m, &sb);
	assert_string_equal(sb.buf,
			    "Node 0, zone      DMA      1      1      1      1      1      1      1      1      1      1      3 \n"
			    "Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0     60 \n");
	sb.len = 0;
	proc_zoneinfo(m, &sb);
	assert_true(!strncmp(sb.buf, "Node 0, zone      DMA\n  per-node stats\n      nr_inactive_anon 0\n", 63));
	assert_non_null(strstr(sb.buf, "\n      nr_mapped    0\n"));
	assert_non_null(strstr(sb.buf, "\n  pages free     4095\n        boost    0\n        min      31\n"
				       "        low      38\n        high     45\n        spanned  4096\n"
				       "        present  4096\n        managed  4095\n        cma      0\n"
				       "        protection: (0, 240, 240, 240)\n      nr_free_pages 4095\n"));
	assert_non_null(strstr(sb.buf, "Node 0, zone    DMA32\n  pages free     61440\n"));
	assert_non_null(strstr(sb.buf, "  node_unreclaimable:  0\n  start_pfn:           4096\n"));
	assert_non_null(strstr(sb.buf, "Node 0, zone   Normal\n  pages free     0\n"));
	assert_non_null(strstr(sb.buf, "        protection: (0, 0, 0, 0)\nNode 0, zone  Movable\n"));
	/* per-node stats only once per node */
	assert_null(strstr(strstr(sb.buf, "per-node stats") + 1, "per-node stats"));
	sb_free(&sb);
	mm_free_all(m, t);
}

static void test_vmstat_names(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("mem=1M zones=DMA:1M", &t);
	struct strbuf sb = {0};
	__free_pages(m, alloc_pages(m, GFP_KERNEL, 1), 1);
	proc_vmstat(m, &sb);
	const char *want[] = {"nr_free_pages 255\n", "nr_zone_inactive_anon 0\n", "nr_slab_reclaimable 0\n",
			      "nr_slab_unreclaimable 0\n", "nr_page_table_pages 0\n", "nr_kernel_stack 0\n",
			      "nr_anon_pages 0\n", "pgalloc_dma 2\n", "pgalloc_dma32 0\n", "pgalloc_normal 0\n",
			      "pgfree 2\n", "allocstall_dma 0\n", "allocstall_normal 0\n", "pgfault 0\n",
			      "pgmajfault 0\n", "nr_tlb_local_flush_all 0\n", "nr_tlb_local_flush_one 0\n",
			      "unevictable_pgs_culled 0\n", "nr_free_cma 0\n"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(sb.buf, want[i]))
			fail_msg("/proc/vmstat lacks '%s'", want[i]);
	assert_true(!strncmp(sb.buf, "nr_free_pages ", 14));
	assert_true(strstr(sb.buf, "pgpgin") > strstr(sb.buf, "nr_kernel_misc_reclaimable"));
	sb_free(&sb);
	mm_free_all(m, t);
}

static long long L(struct memsys *m, const char *view, const char *key)
{
	long long v;
	char err[512];
	if (proc_stat_lookup(m, view, key, &v, err, sizeof(err)) != 0)
		fail_msg("lookup %s.%s: %s", view, key, err);
	return v;
}

static void test_lookup(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("", &t);
	long long v;
	char err[512];
	struct page *p = alloc_pages(m, GFP_KERNEL, 3);

	assert_int_equal(L(m, "meminfo", "MemTotal"), 262140);
	assert_int_equal(L(m, "meminfo", "MemFree"), (long long)nr_free_pages(m) * 4);
	assert_int_equal(L(m, "meminfo", "Active(anon)"), 0);
	assert_int_equal(L(m, "meminfo", "HugePages_Total"), 0);
	assert_int_equal(L(m, "buddyinfo", "DMA.10"), 3);
	assert_int_equal(L(m, "buddyinfo", "dma32.10"), 59);
	assert_int_equal(L(m, "buddyinfo", "0.DMA32.3"), 1);
	assert_int_equal(L(m, "zoneinfo", "DMA32.min"), 479);
	assert_int_equal(L(m, "zoneinfo", "DMA32.high"), 717);
	assert_int_equal(L(m, "zoneinfo", "DMA32.free"), 61440 - 8);
	assert_int_equal(L(m, "zoneinfo", "DMA32.nr_free_pages"), 61440 - 8);
	assert_int_equal(L(m, "zoneinfo", "DMA.managed"), 4095);
	assert_int_equal(L(m, "zoneinfo", "DMA.spanned"), 4096);
	assert_int_equal(L(m, "zoneinfo", "DMA.protection.1"), 240);
	assert_int_equal(L(m, "zoneinfo", "DMA32.start_pfn"), 4096);
	assert_int_equal(L(m, "zoneinfo", "DMA.nr_inactive_anon"), 0);
	assert_int_equal(L(m, "vmstat", "pgalloc_dma32"), 8);
	assert_int_equal(L(m, "vmstat", "nr_free_pages"), (long long)nr_free_pages(m));

	assert_int_equal(proc_stat_lookup(m, "meminfo", "Foo", &v, err, sizeof(err)), -1);
	assert_true(!strncmp(err, "meminfo has no field 'Foo' (MemTotal, MemFree,", 46));
	assert_int_equal(proc_stat_lookup(m, "buddyinfo", "Foo.1", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "buddyinfo has no zone 'Foo' (DMA, DMA32)");
	assert_int_equal(proc_stat_lookup(m, "buddyinfo", "DMA.11", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "buddyinfo DMA has no field '11' (0, 1, 2"));
	assert_int_equal(proc_stat_lookup(m, "zoneinfo", "DMA.bogus", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "zoneinfo DMA has no field 'bogus' ("));
	assert_int_equal(proc_stat_lookup(m, "vmstat", "nope", &v, err, sizeof(err)), -1);
	assert_int_equal(proc_stat_lookup(m, "zoneinfo", "DMA", &v, err, sizeof(err)), -1);
	assert_int_equal(proc_stat_lookup(m, "cpuinfo", "x", &v, err, sizeof(err)), 1);
	__free_pages(m, p, 3);
	mm_free_all(m, t);
}

static void test_lookup_numa_and_slabinfo(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("numa=2", &t);
	/* without a node, nodes add up */
	assert_int_equal(L(m, "buddyinfo", "DMA32.10"), 28 + 32);
	assert_int_equal(L(m, "buddyinfo", "1.DMA32.10"), 32);
	assert_int_equal(L(m, "zoneinfo", "1.DMA32.present"), 32768);
	assert_int_equal(L(m, "zoneinfo", "DMA32.start_pfn"), 4096); /* node 0's */
	/* slabinfo: parse the 2.1 header's columns */
	void *obj = kmalloc(m, 64, GFP_KERNEL);
	assert_non_null(obj);
	struct strbuf sb = {0};
	proc_slabinfo(m, &sb);
	assert_true(!strncmp(sb.buf, "slabinfo - version: 2.1\n", 24));
	assert_int_equal(L(m, "slabinfo", "kmalloc-64.objsize"), 64);
	assert_true(L(m, "slabinfo", "kmalloc-64.active_objs") >= 1);
	assert_true(L(m, "slabinfo", "kmalloc-64.num_objs") >= L(m, "slabinfo", "kmalloc-64.active_objs"));
	assert_true(L(m, "slabinfo", "kmalloc-64.pagesperslab") >= 1);
	long long v;
	char err[512];
	assert_int_equal(proc_stat_lookup(m, "slabinfo", "kmalloc-64.bogus", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "active_objs"));
	assert_int_equal(proc_stat_lookup(m, "slabinfo", "nosuchcache.objsize", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "slabinfo has no cache 'nosuchcache'"));
	kfree(m, obj);
	sb_free(&sb);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo_format),
		cmocka_unit_test(test_buddyinfo_zoneinfo_format),
		cmocka_unit_test(test_vmstat_names),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_lookup_numa_and_slabinfo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
