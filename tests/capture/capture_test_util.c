/* capture_test_util.c - a sample run in a VM under a capture, for tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "capture_test_util.h"
#include "vgt_capture.h"

/* Runs main(guest, arg) in a new VM of 64 MiB under a capture into path. */
static void capture_run(const char *path, vgt_guest_main main, void *arg,
                        const vgt_backend_kind *be, uint64_t start)
{
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 64u << 20;
    if (be) {
        cfg.device.enable_3d = true;
        cfg.device.backend_3d = *be;
    }
    vgt_capture_settings s;
    vgt_capture_settings_init(&s);
    s.path = path;
    s.log = NULL;
    s.start_frame = start;
    vgt_error err = {0};
    vgt_capture *cap = NULL;
    vgt_vm *vm = NULL;
    int code = -1;
    assert_int_equal(vgt_capture_create(&s, &cap, &err), VGT_OK);
    vgt_capture_install(cap, &cfg.device);
    assert_int_equal(vgt_vm_create(&cfg, &vm, &err), VGT_OK);
    assert_int_equal(vgt_capture_attach(cap, vgt_vm_device(vm), &err), VGT_OK);
    assert_int_equal(vgt_vm_run(vm, main, arg, &code, &err), VGT_OK);
    assert_int_equal(code, 0);
    vgt_capture_detach(cap);
    vgt_vm_destroy(vm);
    vgt_capture_stats cs;
    assert_int_equal(vgt_capture_close(cap, &cs, &err), VGT_OK);
}

bool capture_test_sample(const char *path, const char *name, const vgt_sample_args *args,
                         const vgt_backend_kind *be, uint64_t start)
{
    vgt_sample_run ga = {vgt_sample_find(name), *args};
    if (!ga.sample) {
        return false;
    }
    ga.args.quiet = true;
    capture_run(path, vgt_sample_guest, &ga, be, start);
    return true;
}

void capture_test_guest(const char *path, vgt_guest_main main, void *arg,
                        const vgt_backend_kind *be)
{
    capture_run(path, main, arg, be, 0);
}
