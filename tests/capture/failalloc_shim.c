/* failalloc_shim.c - an LD_PRELOAD library, built for the tests only, that
 * makes chosen allocations of a `vgt` run fail, so that a test of the
 * command line reaches what a verb does when the reader runs out of
 * memory (cli_lost_problems.sh).  Two ways, by environment variable:
 *
 *   VGT_FAILALLOC_PROBLEMS_OVER=K  a realloc to room for more than K
 *       problems (n * sizeof(vgt_trace_problem) bytes, n > K) fails: the
 *       reader's problem set (and vgt trim's), which grows by realloc,
 *       cannot grow past K, and the problems it finds after are counted as
 *       not recorded.  Only a realloc called from the vgt executable's own
 *       code (the vgt libraries are linked into it): a malloc or calloc of
 *       such a size is something else (a verb's tables), and so is SQLite's
 *       realloc of its pages.
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

/* Whether an allocation of size bytes (by realloc from the executable's
 * code: `grow`) is one the environment says fails. */
static int should_fail(size_t size, int grow)
{
    uint64_t above = env_number("VGT_FAILALLOC_ABOVE", UINT64_MAX);
    if ((uint64_t)size > above) {
        return 1;
    }
    if (!grow) {
        return 0;
    }
    uint64_t over = env_number("VGT_FAILALLOC_PROBLEMS_OVER", UINT64_MAX);
    return over != UINT64_MAX && size > 0 && size % sizeof(vgt_trace_problem) == 0 &&
           size / sizeof(vgt_trace_problem) > over;
}

void *malloc(size_t size)
{
    if (should_fail(size, 0)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (size != 0 && n <= SIZE_MAX / size && should_fail(n * size, 0)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    if (should_fail(size, from_executable(__builtin_return_address(0)))) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, size);
}
