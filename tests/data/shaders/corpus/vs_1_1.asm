// vs_1_1: every vs_1_1 instruction; a0.x indexing without an address token.
vs_1_1
dcl_position v0
dcl_normal v1
dcl_texcoord v2
dcl_color1 v3
def c95, 1, 0.5, -2, 0.25
nop
mov a0.x, c0.x
mov r0, c5[a0.x]
add r1, v0, c[a0.x + 6]
sub r1, r1, -c1
mad r2, v0, c2.xyzw, r1
mul r3.xy, v1.yx, c3.w
rcp r4.x, c4.x
rsq r4.y, r4.x
dp3 r5.x, v1, c7
dp4 r5.y, v0, c8
min r6, r5, c9
max r6, r6, c10
slt r7, r6, c11
sge r8, r6, c11
exp r9, r8.x
log r9.y, r8.y
lit r10, r9
dst r11, r10, r9
frc r11, r11
m4x4 oPos, v0, c12
m4x3 r0.xyz, v0, c16
m3x4 r1, v1, c20
m3x3 r2.xyz, v1, c24
m3x2 r3.xy, v1, c28
expp r4, c0.x
logp r5, c0.y
mov oD0, r0
mov oD1, r1
mov oT0, v2
mov oT7.xy, v2
mov oFog, r2.x
mov oPts, r3.x
