// ps_1_1: texture addressing, co-issue, source modifiers, result shifts.
ps_1_1
def c0, 1, 0.5, 0, 1
tex t0
texcoord t1
texbem t2, t0
texbeml t3, t0
mul r0, t0, v0
+mov r0.w, v1.w
mad_x2 r1, t1_bx2, c0, 1-v0
add_d2_sat r0, r0_bias, -r1_bx2
sub_x4 r0, r0, -c0_bias
add_x8 r0, r0, c7
mul_d4 r0, r0, c1
mul_d8 r0, r0, c1
lrp r0, c0, r0, r1
cnd r0, r0.a, r1, t0
dp3 r1, t0, c0
mov r0, -r0_x2
texkill t1
nop
