#include "vgt_base.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

uint64_t vgt_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t vgt_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The rate is trusted once measured over this long, and refined at every
 * anchor after (its error shrinks with the interval). */
#define FAST_CLOCK_CALIBRATE_NS 20000000u
/* A reading this far from its anchor takes a new one: it bounds how far a
 * rate error can carry a reading (and keeps d * mult inside 64 bits). */
#define FAST_CLOCK_MAX_SPAN_NS 1000000u

static bool kernel_clocks_by_tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
    /* The kernel leaves the TSC when it finds it unstable (it then
     * switches the clocksource): then it is not for us either. */
    FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
    if (!f) {
        return false;
    }
    char name[32] = {0};
    bool tsc = fgets(name, sizeof(name), f) && strcmp(name, "tsc\n") == 0;
    fclose(f);
    return tsc;
#else
    return false;
#endif
}

void vgt_fast_clock_init(vgt_fast_clock *c)
{
    memset(c, 0, sizeof(*c));
    c->use_tsc = kernel_clocks_by_tsc();
}

uint64_t vgt_fast_clock_anchor_at(vgt_fast_clock *c, uint64_t ns, uint64_t tsc)
{
    uint64_t est;
    /* Readings since the last anchor went up to about est: never below. */
    if (vgt_fast_clock_at(c, tsc, &est) && est > ns) {
        ns = est;
    }
    if (c->anchor_ns > ns) {
        ns = c->anchor_ns;
    }
    if (c->base_ns == 0 || tsc < c->base_tsc) {
        c->base_ns = ns;
        c->base_tsc = tsc;
        c->mult = 0;
    } else if (ns - c->base_ns >= FAST_CLOCK_CALIBRATE_NS && tsc > c->base_tsc) {
        unsigned __int128 m = ((unsigned __int128)(ns - c->base_ns) << 32) / (tsc - c->base_tsc);
        if (m > 0 && m < ((unsigned __int128)1 << 40)) { /* 1 ps .. 256 ns per tick */
            c->mult = (uint64_t)m;
            c->max_ticks = (uint64_t)(((unsigned __int128)FAST_CLOCK_MAX_SPAN_NS << 32) / m);
        }
    }
    c->anchor_ns = ns;
    c->anchor_tsc = tsc;
    return ns;
}

uint64_t vgt_fast_clock_anchor(vgt_fast_clock *c)
{
#if defined(__x86_64__) || defined(__i386__)
    if (c->use_tsc) {
        uint64_t ns = vgt_now_ns();
        return vgt_fast_clock_anchor_at(c, ns, __builtin_ia32_rdtsc());
    }
#endif
    uint64_t ns = vgt_now_ns();
    /* no TSC: the system clock as it is (monotonic already) */
    return ns;
}
