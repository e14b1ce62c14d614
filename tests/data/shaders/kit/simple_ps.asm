// The Microsoft D3DX9 compiler's listing from the VMware SVGA Device Developer Kit
// (prepare/vmware-svga), Copyright (C) 1998-2009 VMware, Inc., MIT license: see NOTICE.
// examples/simple-shaders/simple_ps.h: fxc /T ps_2_0 /E MyPixelShader
    ps_2_0
    def c0, 5, 0.5, 0, 1
    def c1, -0.5, 0.25, 0, 0
    def c2, 0.25, 0.25, 1, 0
    def c3, 1.5, 1.5, 0, 0
    def c4, 0.5, 1, 1, 0
    def c5, 1, 0.5, 1, 0
    dcl t0.xyz
    mul r0.xy, t0, c0.x
    abs r0.xy, r0
    frc r0.xy, r0
    cmp r0.xy, t0, r0, -r0
    add r0.w, -r0.x, c0.y
    cmp r0.w, r0.w, c0.z, c0.w
    add r1.w, -r0.x, c1.x
    cmp r1.w, r1.w, c0.z, c0.w
    cmp r2.w, r0.x, c0.z, c0.w
    mad r0.w, r2.w, r1.w, r0.w
    cmp r0.w, -r0.w, c0.z, c0.w
    add r1.w, -r0.y, c0.y
    cmp r1.w, r1.w, c0.z, c0.w
    add r2.w, -r0.y, c1.x
    cmp r3.w, r0.y, c0.z, c0.w
    cmp r2.w, r2.w, c0.z, c0.w
    mad r1.w, r3.w, r2.w, r1.w
    cmp r1.w, -r1.w, c0.z, c0.w
    add r0.w, r0.w, r1.w
    mul r0.w, r0.w, c0.y
    frc r0.w, r0.w
    mov r0.xyz, c3
    mad r0.xyz, r0.w, r0, c2
    add r0.w, t0.z, t0.z
    max r1.w, r0.w, c0.z
    max r2.w, -r0.w, c0.z
    min r0.w, r1.w, c1.y
    lrp r1.xyz, r0.w, c4, r0
    min r0.w, r2.w, c1.y
    lrp r2.xyz, r0.w, c5, r1
    mov r0.xy, r2.x
    mov r0.w, r2.z
    mov r0.z, r2.y
    mov oC0, r0
