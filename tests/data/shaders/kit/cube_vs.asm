// The Microsoft D3DX9 compiler's listing from the VMware SVGA Device Developer Kit
// (prepare/vmware-svga), Copyright (C) 1998-2009 VMware, Inc., MIT license: see NOTICE.
// examples/cubemark/cube_vs.h: fxc /T vs_2_0 /E MyVertexShader
    vs_2_0
    dcl_position v0
    dcl_color v1
    dp4 r0.x, v0, c0
    dp4 r0.y, v0, c1
    dp4 r0.z, v0, c2
    dp4 r0.w, v0, c3
    dp4 oPos.x, r0, c4
    dp4 oPos.y, r0, c5
    dp4 oPos.z, r0, c6
    dp4 oPos.w, r0, c7
    mov oD0, v1
