/* spin: a runaway program; --max-insns must stop it. */
int main(void)
{
	volatile unsigned long n = 0;
	for (;;)
		n++;
}
