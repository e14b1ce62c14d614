/* shake.c - the random decisions of make shake's build (VGT_SHAKE): where
 * the device ends a FIFO pass, when the sample driver writes a register.
 * Compiled only into build-shake (base/CMakeLists.txt): nothing of it is in
 * a normal build. */
#include "vgt_base.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static uint64_t shake_seed;
static uint64_t shake_count[VGT_SHAKE_STREAMS];
static pthread_once_t shake_once = PTHREAD_ONCE_INIT;

/* splitmix64: a fixed mix of the stream's seed + k, so that a draw is a
 * lock-free counter increment and a stream depends on the seed alone. */
static uint64_t shake_mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static void shake_init(void)
{
    const char *env = getenv("VGT_SHAKE_SEED");
    uint64_t seed = 0;
    if (env && *env && vgt_parse_u64(env, 0, UINT64_MAX, &seed)) {
        /* given: whoever gave it knows it (make shake names it) */
    } else {
        /* a few digits, easy to type back */
        seed = (vgt_now_ns() ^ ((uint64_t)getpid() << 20)) % 1000000000ull;
        fprintf(stderr, "vgt shake: VGT_SHAKE_SEED=%llu (pid %ld)\n", (unsigned long long)seed,
                (long)getpid());
    }
    shake_seed = seed;
}

uint32_t vgt_shake_below(unsigned stream, uint32_t n)
{
    pthread_once(&shake_once, shake_init); /* the guest's or the FIFO thread's first draw */
    if (stream >= VGT_SHAKE_STREAMS || n == 0) {
        return 0;
    }
    /* atomic: two devices (or guests) of one process may draw at once */
    uint64_t k = __atomic_fetch_add(&shake_count[stream], 1, __ATOMIC_RELAXED);
    return (uint32_t)(shake_mix(shake_mix(shake_seed + stream) + k) % n);
}
