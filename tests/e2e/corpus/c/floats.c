/* strtod and printf of doubles: rounding, %a, %e, %g, inf/nan, subnormals, math functions. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	const char *in[] = { "0.1", "1e308", "1e309", "-0", "4.9e-324", "2.2250738585072011e-308",
	                     "0x1.8p3", "inf", "-nan", "123456789012345678901234567890", "1.5xyz", "  +7.25e-2" };
	for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
		char *end;
		errno = 0;
		double d = strtod(in[i], &end);
		printf("%-32s %.17g %a %e ERANGE=%d rest='%s'\n", in[i], d, d, d, errno == ERANGE, end);
	}
	printf("%.0f %.0f %.0f %.0f\n", 0.5, 1.5, 2.5, -0.5);
	printf("%10.3f|%-10.2e|%+g|%g|%g\n", M_PI, 12345.678, 1e-5, 1e15, 123456789.0);
	printf("%.20f\n", 0.1);
	printf("%f %f\n", DBL_MAX, DBL_MIN);
	printf("sqrt2 %.17g exp1 %.17g log10 %.17g sin %.17g atan2 %.17g\n", sqrt(2), exp(1), log(10), sin(1e6), atan2(1, -1));
	printf("pow %.17g fmod %.17g cbrt %.17g hypot %.17g\n", pow(1.0001, 10000), fmod(10, 3.3), cbrt(27.5), hypot(3e200, 4e200));
	float f = strtof("3.4028235e38", NULL);
	printf("float max %.9g %a, long double %.21Lg\n", f, f, 1.0L / 3);
	printf("atoi %d atol %ld strtol %ld strtoul %lu\n", atoi("  -42abc"), atol("99999999999"), strtol("0x7fz", NULL, 0), strtoul("-1", NULL, 10));
	return 0;
}
