// The Microsoft D3DX9 compiler's listing from the VMware SVGA Device Developer Kit
// (prepare/vmware-svga), Copyright (C) 1998-2009 VMware, Inc., MIT license: see NOTICE.
// examples/simple-shaders/simple_vs.h: fxc /T vs_2_0 /E MyVertexShader
    vs_2_0
    def c5, 8, 0.159154937, 0.5, 0
    def c6, 6.28318548, -3.14159274, 10, 1
    def c7, -1.55009923e-06, -2.17013894e-05, 0.00260416674, 0.00026041668
    def c8, -0.020833334, -0.125, 1, 0.5
    dcl_position v0
    mul r0.xy, v0, v0
    add r0.x, r0.y, r0.x
    mov r1.x, c5.x
    mad r0.y, r0.x, r1.x, c4.x
    mad r0.x, r0.x, c6.z, c6.w
    mad r0.y, r0.y, c5.y, c5.z
    frc r0.y, r0.y
    mad r0.y, r0.y, c6.x, c6.y
    sincos r1.y, r0.y, c7, c8
    rcp r0.x, r0.x
    mul r0.z, r1.y, r0.x
    mov r0.xyw, v0
    dp4 oPos.x, r0, c0
    dp4 oPos.y, r0, c1
    dp4 oPos.z, r0, c2
    dp4 oPos.w, r0, c3
    mov oT0, r0
