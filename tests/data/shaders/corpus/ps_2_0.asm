// ps_2_0: declarations, texld/texldp/texldb, every arithmetic instruction.
ps_2_0
def c0, 1, 0.5, 0, -1
def c31, 0x7f800000, 0xffc00000, -0, 1.17549435e-38
dcl t0.xy
dcl_centroid t1
dcl v0
dcl v1.xyz
dcl_2d s0
dcl_cube s1
dcl_volume s2
texld r0, t0, s0
texldp r1, t1, s1
texldb_pp r2, t1, s2
texkill r0
texkill t7
rcp r3.x, r0.x
rsq r3.y, r0.y
exp r3.z, r0.z
log r3.w, r0.w
min r4, r3, c0
max r4, r4, c0.y
frc r5, r4
m4x4 r6, r5, c1
m4x3 r6.xyz, r5, c1
m3x4 r7, r5, c1
m3x3 r7.xyz, r5, c1
m3x2 r7.xy, r5, c1
pow r8, r7.x, c0.y
crs r8.xyz, r7, r6
abs r9, r8
nrm r9, r9
sincos r10.xy, r9.x, c2, c3
dp2add r11, r10, c0, c0.x
cmp r11, r11, c0, c0.y
lrp r11, c0, r10, r9
add r11, r11, v0
sub r11, r11, v1.zyx
mad r11, r11, c0, c0
mul_pp r11, r11, c0
dp3 r11.w, r11, c0
dp4 r11.z, r11, c0
mov_sat oC0, r11
mov oC3, r10
mov oDepth, r11.x
