/* fetch_pad.c - a program whose last code sits where the build puts it
 * (tests/e2e/fetch_edge.sh).  PAD bytes of NOPs move the end of the text
 * segment: in .text by default (the `filler` reproducer of issue 8; the
 * libc objects after it keep their alignment, so the end moves in steps of
 * up to 64 bytes), or with FINI_PAD inside _fini itself (the .fini input
 * sections are byte-aligned, so its last instruction, the `ret`, moves byte
 * by byte and _fini runs the NOPs on its way there). */
#include <stdio.h>

#define STR2(x) #x
#define STR(x) STR2(x)

#ifdef FINI_PAD
__asm__(".pushsection .fini,\"ax\",@progbits\n\t.fill " STR(PAD) ", 1, 0x90\n\t.popsection");
#else
__attribute__((used)) static void filler(void)
{
	__asm__ volatile(".fill " STR(PAD) ", 1, 0x90");
}
#endif

int main(void)
{
	printf("the padded program ran to its end\n");
	return 0;
}
