#include <stdio.h>
int main(void) { puts("mmsim: under construction"); return 0; }
