/* failalloc_shim.c - an LD_PRELOAD library, built for the tests only, that
 * makes chosen allocations of a `vgt` run fail, so that a test of the
 * command line reaches what a verb does when the reader runs out of
 * memory (cli_lost_problems.sh).  Two ways, by environment variable:
 *
 *   VGT_FAILALLOC_PROBLEMS_OVER=K  a realloc of a problem set's array to
 *       room for more than K problems (n * sizeof(vgt_trace_problem)
 *       bytes, n > K) fails: the reader's problem set (and vgt trim's),
 *       which grows by realloc, cannot grow past K, and the problems it
 *       finds after are counted as not recorded.  A set's array is told
 *       from the verbs' other arrays by its birth: a realloc from NULL to
 *       room for 8 problems (the reader's reserve, trim's first add), from
 *       the vgt executable's own code (the vgt libraries are linked into
 *       it), which the shim follows through its reallocs until it is
 *       freed (a problem is 40 bytes since it holds its message by
 *       pointer: every array of 40, 20, 10 or 8-byte entries grows
 *       through such sizes too, and failed, analyze's commands first).
 *   VGT_FAILALLOC_ABOVE=BYTES  an allocation of more than BYTES fails
 *       (a chunk's buffers: the read or the check stops, out of memory).
 *
 * It calls glibc's own allocator (__libc_malloc ...), not dlsym(RTLD_NEXT):
 * dlsym allocates, which would call back here.  Not for the ASan build,
 * whose runtime must come first and owns every block (the test is labelled
 * no-asan). */
#include <errno.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vgt_format.h"

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void __libc_free(void *p);

/* An environment variable as a number; `unset` when absent or not digits. */
static uint64_t env_number(const char *name, uint64_t unset)
{
    const char *v = getenv(name);
    if (!v || *v < '0' || *v > '9') {
        return unset;
    }
    char *end = NULL;
    unsigned long long n = strtoull(v, &end, 10);
    return *end == '\0' ? (uint64_t)n : unset;
}

/* The executable's code (the first object dl_iterate_phdr reports: its
 * loadable segments that execute); neither allocates. */
static uintptr_t exe_lo = UINTPTR_MAX, exe_hi;

static int find_executable(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            uintptr_t lo = (uintptr_t)info->dlpi_addr + ph->p_vaddr;
            exe_lo = lo < exe_lo ? lo : exe_lo;
            exe_hi = lo + ph->p_memsz > exe_hi ? lo + ph->p_memsz : exe_hi;
        }
    }
    return 1; /* the first object only: the executable */
}

static int from_executable(const void *caller)
{
    if (exe_lo == UINTPTR_MAX) {
        dl_iterate_phdr(find_executable, NULL);
    }
    return (uintptr_t)caller >= exe_lo && (uintptr_t)caller < exe_hi;
}

/* The problem sets' arrays alive (a verb has a reader or two, and trim
 * a set of its own); NULL: a free entry. */
#define SETS_MAX 16
static void *sets[SETS_MAX];

/* The entry of sets holding p, or NULL (p NULL: a free entry). */
static void **set_entry(const void *p)
{
    for (int i = 0; i < SETS_MAX; i++) {
        if (sets[i] == p) {
            return &sets[i];
        }
    }
    return NULL;
}

/* Whether an allocation of size bytes is one the environment says fails. */
static int should_fail(size_t size)
{
    uint64_t above = env_number("VGT_FAILALLOC_ABOVE", UINT64_MAX);
    return (uint64_t)size > above;
}

void *malloc(size_t size)
{
    if (should_fail(size)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (size != 0 && n <= SIZE_MAX / size && should_fail(n * size)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    uint64_t over = env_number("VGT_FAILALLOC_PROBLEMS_OVER", UINT64_MAX);
    void **set = NULL;
    if (over != UINT64_MAX && from_executable(__builtin_return_address(0))) {
        set = p ? set_entry(p) : size == 8u * sizeof(vgt_trace_problem) ? set_entry(NULL) : NULL;
    }
    if (should_fail(size) || (set && p && size / sizeof(vgt_trace_problem) > over)) {
        errno = ENOMEM;
        return NULL;
    }
    void *n = __libc_realloc(p, size);
    if (set && n) {
        *set = n;
    }
    return n;
}

void free(void *p)
{
    void **set = p ? set_entry(p) : NULL;
    if (set) {
        *set = NULL;
    }
    __libc_free(p);
}
