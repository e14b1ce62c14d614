// ps_3_0: semantic inputs, vPos/vFace, loops with aL, _abs, texldl.
ps_3_0
defi i0, 4, 0, 1, 0
def c223, 0, 0, 0, 0
dcl_texcoord v0.xy
dcl_texcoord1_centroid v1
dcl_color v2
dcl_fog9 v9
dcl vPos.xy
dcl vFace
dcl_2d s15
texld r0, v0, s15
texldl r1, v1, s15
loop aL, i0
add r0, r0, v0[aL]
break_gt r0.x, c223.x
endloop
mov r2, vPos.xyxy
cmp r3, vFace, c223, -c223_abs
sincos r4.xy, r3.x
mul_pp r5, r4, c0
mov oC0, r5
mov oDepth, r3.x
