/* sanitizer_canary.c - one defect of each kind the ASan tree must report
 * (make asan: ASan, UBSan's checks trapping, float-cast-overflow), run by
 * canary.sh, which expects each run to die with a report that names this
 * file and the defect's line.  A build or an ASAN_OPTIONS that stops
 * reporting one (UBSan's traps without handle_sigill die as a bare
 * SIGILL, no file or line) fails the test instead of passing the whole
 * suite silently.  The values come from argv, so the compiler cannot fold
 * the defect away. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: sanitizer_canary overflow|float-cast|heap N\n");
        return 2;
    }
    int n = atoi(argv[2]);
    if (strcmp(argv[1], "overflow") == 0) {
        int big = 2147483647 - 1 + n % 2;
        int sum = big + n; /* CANARY overflow: signed overflow for n >= 1 */
        printf("%d\n", sum);
    } else if (strcmp(argv[1], "float-cast") == 0) {
        float f = 1e20f * (float)n;
        int i = (int)f; /* CANARY float-cast: out of int's range for n >= 1 */
        printf("%d\n", i);
    } else if (strcmp(argv[1], "heap") == 0) {
        /* a size the compiler does not know (8: "heap" and 4), or UBSan's
         * object-size check reports the read before ASan sees it */
        size_t size = strlen(argv[1]) + 4;
        char *p = malloc(size);
        if (!p) {
            return 2;
        }
        memset(p, 1, size);
        int v = p[size - 1 + (size_t)n]; /* CANARY heap: one past the block for n == 1 */
        free(p);
        printf("%d\n", v);
    } else {
        return 2;
    }
    return 0;
}
