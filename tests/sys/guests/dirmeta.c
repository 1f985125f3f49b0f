/* tests/sys/guests/dirmeta.c - prints what a native run and an mmsim run
 * must agree on byte for byte (tests/sys/metadata.sh): statx and lstat of
 * each FILE (every field, nanoseconds, btime, stx_mask), and for each
 * "-d DIR" its getdents64 entries (d_ino, d_off, d_type, name) in the
 * file system's order, then telldir/seekdir back to the middle entry and
 * lseek(SEEK_CUR) on the directory.  Built with glibc (gcc -static), which
 * has statx().
 *
 * usage: dirmeta [-d DIR | FILE]... */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Print statx and lstat of PATH; returns 0, or 1 when either fails. */
static int show_file(const char *path)
{
	struct statx x;
	struct stat st;
	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME, &x) != 0 ||
	    lstat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	printf("%s: statx mask %#x blksize %u attr %#llx/%#llx nlink %u uid %u gid %u mode %#o ino %llu size %llu "
	       "blocks %llu\n",
	       path, x.stx_mask, x.stx_blksize, (unsigned long long)x.stx_attributes,
	       (unsigned long long)x.stx_attributes_mask, x.stx_nlink, x.stx_uid, x.stx_gid, x.stx_mode,
	       (unsigned long long)x.stx_ino, (unsigned long long)x.stx_size, (unsigned long long)x.stx_blocks);
	printf("  a %lld.%09u b %lld.%09u c %lld.%09u m %lld.%09u dev %u:%u rdev %u:%u mnt_id %s\n",
	       (long long)x.stx_atime.tv_sec, x.stx_atime.tv_nsec, (long long)x.stx_btime.tv_sec,
	       x.stx_btime.tv_nsec, (long long)x.stx_ctime.tv_sec, x.stx_ctime.tv_nsec,
	       (long long)x.stx_mtime.tv_sec, x.stx_mtime.tv_nsec, x.stx_dev_major, x.stx_dev_minor,
	       x.stx_rdev_major, x.stx_rdev_minor, x.stx_mnt_id ? "set" : "0");
	printf("  lstat dev %#llx ino %llu nlink %llu mode %#o uid %u gid %u rdev %#llx size %lld blksize %ld "
	       "blocks %lld a %lld.%09ld m %lld.%09ld c %lld.%09ld\n",
	       (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, (unsigned long long)st.st_nlink,
	       st.st_mode, st.st_uid, st.st_gid, (unsigned long long)st.st_rdev, (long long)st.st_size,
	       (long)st.st_blksize, (long long)st.st_blocks, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
	       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
	       st.st_ctim.tv_nsec);
	return 0;
}

/* Print DIR's entries, then seek back to the middle one and print the
 * rest again.  Returns 0, or 1 when DIR cannot be opened. */
static int show_dir(const char *path)
{
	long pos[4096];
	int n = 0;
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	struct dirent *de;
	printf("%s:\n", path);
	for (;;) {
		long here = telldir(d);
		if (!(de = readdir(d)))
			break;
		if (n < 4096)
			pos[n++] = here;
		printf("  ino %llu off %lld type %u %s\n", (unsigned long long)de->d_ino, (long long)de->d_off,
		       de->d_type, de->d_name);
	}
	printf("  end at %lld\n", (long long)lseek(dirfd(d), 0, SEEK_CUR));
	if (n > 0) {
		seekdir(d, pos[n / 2]);
		printf("  seekdir to entry %d:", n / 2);
		while ((de = readdir(d)))
			printf(" %s", de->d_name);
		printf("\n");
	}
	rewinddir(d);
	int again = 0;
	while (readdir(d))
		again++;
	printf("  after rewinddir: %d entries\n", again);
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			rc |= show_dir(argv[++i]);
		else
			rc |= show_file(argv[i]);
	}
	return rc;
}
