/* capture_tool_main.h - the main() of the tests' trace-making tools
 * (make_clip_trace, make_ctab_trace): boots a VM with 3D on the soft
 * backend, runs one guest program with capture on into OUT, and exits 0
 * when the guest and the capture both succeeded (1 usage, 2 failure). */
#ifndef VGT_CAPTURE_TOOL_MAIN_H
#define VGT_CAPTURE_TOOL_MAIN_H

#include <stdio.h>

#include "vgt_capture.h"
#include "vgt_samples.h"

static inline int capture_tool_main(const char *tool, int argc, char **argv,
                                    vgt_guest_main guest_main)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT\n", tool);
        return 1;
    }
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 64u << 20;
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = VGT_BACKEND_SOFT;
    vgt_capture_settings s;
    vgt_capture_settings_init(&s);
    s.path = argv[1];
    s.log = NULL;
    vgt_error err = {0};
    vgt_capture *cap = NULL;
    vgt_vm *vm = NULL;
    int code = -1;
    if (vgt_capture_create(&s, &cap, &err) != VGT_OK) {
        fprintf(stderr, "%s: %s\n", tool, err.message);
        return 2;
    }
    vgt_capture_install(cap, &cfg.device);
    if (vgt_vm_create(&cfg, &vm, &err) != VGT_OK ||
        vgt_capture_attach(cap, vgt_vm_device(vm), &err) != VGT_OK ||
        vgt_vm_run(vm, guest_main, NULL, &code, &err) != VGT_OK) {
        fprintf(stderr, "%s: %s\n", tool, err.message);
        return 2;
    }
    vgt_capture_detach(cap);
    vgt_vm_destroy(vm);
    vgt_capture_stats cs;
    if (vgt_capture_close(cap, &cs, &err) != VGT_OK) {
        fprintf(stderr, "%s: %s\n", tool, err.message);
        return 2;
    }
    return code == 0 ? 0 : 2;
}

#endif
