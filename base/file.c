#include "vgt_base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int vgt_file_create(const char *path, mode_t mode)
{
    struct stat old;
    if (lstat(path, &old) == 0 && S_ISREG(old.st_mode) && old.st_nlink == 1) {
        (void)unlink(path); /* if refused, O_TRUNC below does what it can */
    }
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
}

char *vgt_file_read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1); /* + 1: the '\0' */
    while (buf) {
        if (n == cap) {
            char *p = cap <= (SIZE_MAX - 1) / 2 ? realloc(buf, cap * 2 + 1) : NULL;
            if (!p) {
                free(buf);
                buf = NULL;
                errno = ENOMEM;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    int why = errno; /* the caller says why a read failed; fclose may reset it */
    fclose(f);
    errno = why;
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}
