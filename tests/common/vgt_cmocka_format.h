/* vgt_cmocka_format.h - cmocka with its fail_msg's format checked by gcc.
 *
 * Every test built by vgt_add_test includes this first (-include).  cmocka's
 * fail_msg is a macro from a system header, and gcc checks no printf format
 * inside such a macro (clang does): two failure messages with their
 * arguments wrong went unseen until a clang build warned.  The redefinition
 * below makes the same print_error call from this (non-system) header, and
 * an `if (0)` call of a format-attributed function lets gcc check the
 * arguments without evaluating them twice. */
#ifndef VGT_CMOCKA_FORMAT_H
#define VGT_CMOCKA_FORMAT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

__attribute__((format(printf, 1, 2))) static inline void vgt_test_format_check(const char *fmt, ...)
{
    (void)fmt;
}

#undef fail_msg
#define fail_msg(msg, ...)                                                                         \
    do {                                                                                           \
        if (0) {                                                                                   \
            vgt_test_format_check(msg, ##__VA_ARGS__);                                             \
        }                                                                                          \
        print_error("ERROR: " msg "\n", ##__VA_ARGS__);                                            \
        fail();                                                                                    \
    } while (0)

#endif
