// The Microsoft D3DX9 compiler's listing from the VMware SVGA Device Developer Kit
// (prepare/vmware-svga), Copyright (C) 1998-2009 VMware, Inc., MIT license: see NOTICE.
// examples/cubemark/cube_ps.h: fxc /T ps_2_0 /E MyPixelShader
    ps_2_0
    dcl v0
    mov oC0, v0
