/* guest/check.h - CHECK() for the guest test programs: on a false COND,
 * print "MISMATCH: <message>" and exit 1 (the e2e test compares the
 * output with a native run's). */
#ifndef MMSIM_GUEST_CHECK_H
#define MMSIM_GUEST_CHECK_H
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond, ...)                                  \
	do {                                              \
		if (!(cond)) {                            \
			printf("MISMATCH: " __VA_ARGS__); \
			printf("\n");                     \
			exit(1);                          \
		}                                         \
	} while (0)

#endif
