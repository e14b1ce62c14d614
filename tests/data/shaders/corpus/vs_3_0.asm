// vs_3_0: output declarations, vertex texture fetch, _abs, _sat, aL indexing.
vs_3_0
dcl_position v0
dcl_texcoord v1
dcl_position o0
dcl_texcoord o1.xy
dcl_color o2
dcl_texcoord7 o11
dcl_2d s0
dcl_cube s1
dcl_volume s3
defi i0, 2, 0, 1, 0
def c255, 1, 2, 3, 4
texldl r0, v1, s0
mov_sat r1, r0_abs
add r2, -r1_abs.wzyx, c255
sincos r3.xy, r2.x
sgn r4, r3
loop aL, i0
mov o1[aL].xy, v0[aL]
add r5, r5, c0[aL.x]
endloop
mov o0, v0
mov o2, c0
mov o11, r31
