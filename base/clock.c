#include "vgt_base.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

uint64_t vgt_clock_ns(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) {
        return 0;
    }
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t vgt_now_ns(void)
{
    return vgt_clock_ns(CLOCK_MONOTONIC);
}

uint64_t vgt_thread_cpu_ns(void)
{
    return vgt_clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

void vgt_thread_name(const char *name)
{
    char cut[16];
    snprintf(cut, sizeof(cut), "%s", name);
    /* a failure leaves the inherited name: nothing depends on it */
    (void)pthread_setname_np(pthread_self(), cut);
}

uint64_t vgt_wall_ns(void)
{
    return vgt_clock_ns(CLOCK_REALTIME);
}

/* The rate is trusted once measured over this long, and refined at every
 * anchor after (its error shrinks with the interval). */
#define FAST_CLOCK_CALIBRATE_NS 20000000u
/* A reading this far from its anchor takes a new one: it bounds how far a
 * rate error can carry a reading (and keeps d * mult inside 64 bits). */
#define FAST_CLOCK_MAX_SPAN_NS 1000000u
/* The rate a new clock starts with is measured over this long, once a
 * process: two clock_gettime readings (~25 ns each) this far apart put its
 * error below 2.5e-4, below 250 ns over FAST_CLOCK_MAX_SPAN_NS. */
#define FAST_CLOCK_FIRST_RATE_NS 200000u
/* An anchor this far behind what the rate gives says the rate is fast
 * beyond the first rate's own error (2.5e-4 of a 1 ms span is 250 ns). */
#define FAST_CLOCK_LEAD_NS 1000u

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

/* The ns-per-tick rate (32.32) of ticks over ns, or 0 when out of the
 * plausible range (1 ps .. 256 ns a tick). */
static uint64_t tick_rate(uint64_t ns, uint64_t ticks)
{
    if (ticks == 0) {
        return 0;
    }
    unsigned __int128 m = ((unsigned __int128)ns << 32) / ticks;
    return m > 0 && m < ((unsigned __int128)1 << 40) ? (uint64_t)m : 0;
}

/* The rate in use: the measured one, or, while the readings lead the
 * system clock by more than FAST_CLOCK_LEAD_NS, 1/1024 slower, so such a
 * lead shrinks by ~1 us a millisecond instead of staying (readings never
 * go back, so it cannot be dropped). */
static void use_rate(vgt_fast_clock *c, bool leading)
{
    uint64_t mult = leading ? c->rate - (c->rate >> 10) : c->rate;
    if (mult == c->mult) {
        return; /* the span is the same: no division (an anchor a FIFO pass) */
    }
    c->mult = mult;
    c->max_ticks = (uint64_t)(((unsigned __int128)FAST_CLOCK_MAX_SPAN_NS << 32) / mult);
}

static void set_rate(vgt_fast_clock *c, uint64_t rate)
{
    c->rate = rate;
    use_rate(c, false);
}

/* A first rate for every clock of the process, measured once: without it a
 * new clock read the system clock for its first 20 ms (every command of
 * the first third of a 2000-frame vgt bench capture run; ~3% of its time). */
static uint64_t first_rate(void)
{
#if defined(__x86_64__) || defined(__i386__)
    static uint64_t rate; /* 0: not measured yet (atomic) */
    uint64_t m = __atomic_load_n(&rate, __ATOMIC_RELAXED);
    if (m == 0) {
        uint64_t ns0 = vgt_now_ns(), tsc0 = __builtin_ia32_rdtsc(), ns1, tsc1;
        do {
            ns1 = vgt_now_ns();
            tsc1 = __builtin_ia32_rdtsc();
        } while (ns1 - ns0 < FAST_CLOCK_FIRST_RATE_NS);
        m = tsc1 > tsc0 ? tick_rate(ns1 - ns0, tsc1 - tsc0) : 0;
        __atomic_store_n(&rate, m, __ATOMIC_RELAXED); /* racing measurers agree closely */
    }
    return m;
#else
    return 0;
#endif
}

void vgt_fast_clock_init(vgt_fast_clock *c)
{
    memset(c, 0, sizeof(*c));
    c->use_tsc = kernel_clocks_by_tsc();
    if (c->use_tsc) {
        uint64_t m = first_rate();
        if (m) {
            set_rate(c, m);
        }
    }
}

uint64_t vgt_fast_clock_anchor_at(vgt_fast_clock *c, uint64_t sys, uint64_t tsc)
{
    /* Readings since the last anchor went up to what the rate gives for
     * this TSC value, or, past the span (or a TSC gone back), for the
     * span's end, the last reading the rate gave: the anchor is never
     * below.  (Set to the system clock instead, an anchor after a span's
     * last readings was ~60-80 ns behind them with the first rate a little
     * fast.)  The rate itself is measured against the system clock's own
     * readings, so a lead taken here does not feed back into it. */
    uint64_t ns = sys, lead = 0;
    if (c->mult && c->base_ns != 0) { /* no reading comes before the first anchor */
        uint64_t d = tsc - c->anchor_tsc;
        uint64_t est = c->anchor_ns + (((d > c->max_ticks ? c->max_ticks : d) * c->mult) >> 32);
        if (est > ns) {
            lead = est - ns;
            ns = est;
        }
    }
    if (c->anchor_ns > ns) {
        ns = c->anchor_ns;
    }
    if (c->base_ns == 0) {
        c->base_ns = sys; /* the first anchor: keeps the first rate, if any */
        c->base_tsc = tsc;
    } else if (tsc < c->base_tsc) {
        /* the TSC went back (another machine's, a reset): measure again,
         * the system clock meanwhile */
        c->base_ns = sys;
        c->base_tsc = tsc;
        c->rate = c->mult = 0;
    } else if (tsc > c->base_tsc && sys > c->base_ns &&
               (sys - c->base_ns >= FAST_CLOCK_CALIBRATE_NS ||
                (lead > FAST_CLOCK_LEAD_NS && sys - c->base_ns >= FAST_CLOCK_FIRST_RATE_NS))) {
        /* measured long enough, or the rate in use is visibly fast (the
         * first rate's measurement was disturbed): measure it now, so the
         * lead stops growing */
        uint64_t m = tick_rate(sys - c->base_ns, tsc - c->base_tsc);
        if (m) {
            c->rate = m;
        }
    }
    if (c->rate) {
        /* a lead of tens of ns is the system clock read before the TSC */
        use_rate(c, lead > FAST_CLOCK_LEAD_NS);
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
