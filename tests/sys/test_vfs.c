/* tests/sys/test_vfs.c - the guest root's path resolution: chroot
 * semantics, no escape through '..' or symlinks, ELOOP, ENOTDIR, listing
 * in the host's order with its inode numbers and cookies, the host's
 * metadata, read-only contents. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <dirent.h>

#include "sim/vfs.h"

struct fixture {
	char outside[256]; /* a directory holding the root and a secret file */
	char root[300];
	struct vfs *v;
};

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char p[512], err[256];
	snprintf(fx->outside, sizeof(fx->outside), "/tmp/mmsim-vfs-XXXXXX");
	if (!mkdtemp(fx->outside))
		return -1;
	snprintf(fx->root, sizeof(fx->root), "%s/root", fx->outside);
	mkdir(fx->root, 0755);
	snprintf(p, sizeof(p), "%s/secret", fx->outside);
	put_file(p, "host secret\n");
	snprintf(p, sizeof(p), "%s/bin", fx->root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/etc", fx->root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/etc/passwd", fx->root);
	put_file(p, "root:x:0:0::/:/bin/sh\n");
	snprintf(p, sizeof(p), "%s/bin/busybox", fx->root);
	put_file(p, "ELF");
	snprintf(p, sizeof(p), "%s/bin/sh", fx->root);
	if (symlink("busybox", p))
		return -1;
	snprintf(p, sizeof(p), "%s/abs_escape", fx->root);
	if (symlink("/../../../secret", p)) /* absolute: stays inside */
		return -1;
	snprintf(p, sizeof(p), "%s/rel_escape", fx->root);
	if (symlink("../secret", p)) /* relative: '..' at / is / */
		return -1;
	snprintf(p, sizeof(p), "%s/host_passwd", fx->root);
	if (symlink("/etc/passwd", p)) /* the guest's /etc/passwd, never the host's */
		return -1;
	snprintf(p, sizeof(p), "%s/loop1", fx->root);
	if (symlink("loop2", p))
		return -1;
	snprintf(p, sizeof(p), "%s/loop2", fx->root);
	if (symlink("loop1", p))
		return -1;
	fx->v = vfs_create(fx->root, err, sizeof(err));
	if (!fx->v)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[600];
	vfs_destroy(fx->v);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->outside);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static void test_plain_and_dotdot(void **state)
{
	struct fixture *fx = *state;
	char out[VFS_PATH_MAX];
	assert_int_equal(vfs_resolve(fx->v, "/", "/etc/passwd", true, out, sizeof(out)), 0);
	assert_string_equal(out, "/etc/passwd");
	assert_int_equal(vfs_resolve(fx->v, "/bin", "../etc/./passwd", true, out, sizeof(out)), 0);
	assert_string_equal(out, "/etc/passwd");
	/* '..' above the root stays at the root */
	assert_int_equal(vfs_resolve(fx->v, "/", "../../../../etc/passwd", true, out, sizeof(out)), 0);
	assert_string_equal(out, "/etc/passwd");
	assert_int_equal(vfs_resolve(fx->v, "/", "../../secret", true, out, sizeof(out)), -ENOENT);
	assert_int_equal(vfs_resolve(fx->v, "/", "/..", true, out, sizeof(out)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(vfs_resolve(fx->v, "/", "", true, out, sizeof(out)), -ENOENT);
}

static void test_symlinks_stay_inside(void **state)
{
	struct fixture *fx = *state;
	char out[VFS_PATH_MAX];
	assert_int_equal(vfs_resolve(fx->v, "/", "/bin/sh", true, out, sizeof(out)), 0);
	assert_string_equal(out, "/bin/busybox");
	assert_int_equal(vfs_resolve(fx->v, "/", "/bin/sh", false, out, sizeof(out)), 0);
	assert_string_equal(out, "/bin/sh");
	assert_int_equal(vfs_resolve(fx->v, "/", "/abs_escape", true, out, sizeof(out)), -ENOENT);
	assert_int_equal(vfs_resolve(fx->v, "/", "/rel_escape", true, out, sizeof(out)), -ENOENT);
	assert_int_equal(vfs_resolve(fx->v, "/", "/host_passwd", true, out, sizeof(out)), 0);
	assert_string_equal(out, "/etc/passwd");
	struct vfs_file *f;
	assert_int_equal(vfs_open(fx->v, out, &f), 0);
	assert_int_equal(f->size, strlen("root:x:0:0::/:/bin/sh\n"));
	assert_memory_equal(f->data, "root:x:0:0::/:/bin/sh\n", f->size);
	vfs_file_put(f);
	assert_int_equal(vfs_resolve(fx->v, "/", "/loop1", true, out, sizeof(out)), -ELOOP);
	assert_int_equal(vfs_resolve(fx->v, "/", "/loop1", false, out, sizeof(out)), 0);
}

static void test_errors(void **state)
{
	struct fixture *fx = *state;
	char out[VFS_PATH_MAX], longname[300];
	assert_int_equal(vfs_resolve(fx->v, "/", "/etc/passwd/x", true, out, sizeof(out)), -ENOTDIR);
	assert_int_equal(vfs_resolve(fx->v, "/", "/etc/passwd/", true, out, sizeof(out)), -ENOTDIR);
	assert_int_equal(vfs_resolve(fx->v, "/", "/nope/x", true, out, sizeof(out)), -ENOENT);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(vfs_resolve(fx->v, "/", longname, true, out, sizeof(out)), -ENAMETOOLONG);
	/* /proc and /dev are virtual: resolved lexically */
	assert_int_equal(vfs_resolve(fx->v, "/", "/proc/self/../meminfo", true, out, sizeof(out)), 0);
	assert_string_equal(out, "/proc/meminfo");
}

static void test_listing_host_order(void **state)
{
	struct fixture *fx = *state;
	struct vfs_file *d;
	assert_int_equal(vfs_open(fx->v, "/", &d), 0);
	/* the host's readdir order, d_ino and d_off, entry by entry */
	DIR *h = opendir(fx->root);
	assert_non_null(h);
	size_t i = 0;
	struct dirent *de;
	while ((de = readdir(h))) {
		assert_true(i < d->nents);
		assert_string_equal(d->ents[i].name, de->d_name);
		assert_int_equal(d->ents[i].ino, de->d_ino);
		assert_int_equal(d->ents[i].off, de->d_off);
		assert_int_equal(d->ents[i].type, de->d_type);
		i++;
	}
	closedir(h);
	/* then "proc" and "dev", which the host root lacks */
	assert_int_equal(d->nents, i + 2);
	assert_string_equal(d->ents[i].name, "proc");
	assert_string_equal(d->ents[i + 1].name, "dev");
	/* every cookie seeks to the entry after it */
	for (size_t k = 0; k < d->nents; k++) {
		assert_int_equal(vfs_dir_seek(d, d->ents[k].off), k + 1);
		assert_int_equal(vfs_dir_tell(d, k + 1), d->ents[k].off);
	}
	assert_int_equal(vfs_dir_seek(d, 0), 0);
	vfs_file_put(d);
	assert_int_equal(vfs_ino("/etc/passwd"), vfs_ino("/etc/passwd"));
	assert_true(vfs_ino("/etc/passwd") != vfs_ino("/etc/group"));
}

static void test_host_metadata(void **state)
{
	struct fixture *fx = *state;
	char p[512];
	struct stat hs;
	struct vfs_stat st;
	snprintf(p, sizeof(p), "%s/etc/passwd", fx->root);
	assert_int_equal(lstat(p, &hs), 0);
	assert_int_equal(vfs_lstat(fx->v, "/etc/passwd", &st), 0);
	assert_int_equal(st.ino, hs.st_ino);
	assert_int_equal(st.nlink, hs.st_nlink);
	assert_int_equal(st.mode, hs.st_mode);
	assert_int_equal(st.uid, hs.st_uid);
	assert_int_equal(st.blocks, hs.st_blocks);
	assert_int_equal(st.mtime.sec, hs.st_mtim.tv_sec);
	assert_int_equal(st.mtime.nsec, hs.st_mtim.tv_nsec);
	/* kept as first looked up: a later change on the host is not seen */
	assert_int_equal(chmod(p, 0600), 0);
	struct vfs_stat again;
	assert_int_equal(vfs_lstat(fx->v, "/etc/passwd", &again), 0);
	assert_int_equal(again.mode, st.mode);
	assert_int_equal(again.ctime.nsec, st.ctime.nsec);
}

static void test_no_root(void **state)
{
	(void)state;
	char err[256], out[VFS_PATH_MAX];
	struct vfs *v = vfs_create(NULL, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(vfs_resolve(v, "/", "/etc/passwd", true, out, sizeof(out)), -ENOENT);
	assert_int_equal(vfs_resolve(v, "/", "/", true, out, sizeof(out)), 0);
	struct vfs_file *d;
	assert_int_equal(vfs_open(v, "/", &d), 0);
	assert_int_equal(d->nents, 4);
	vfs_file_put(d);
	vfs_destroy(v);
	assert_null(vfs_create("/nonexistent/dir", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/dir"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_and_dotdot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_stay_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listing_host_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_metadata, setup, teardown),
		cmocka_unit_test(test_no_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
