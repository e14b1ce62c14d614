// ps_1_4: texcrd, texld with _dz/_dw, texdepth, bem, phase.
ps_1_4
def c0, 1, 0, 0, 1
texcrd r0.xyz, t0
texld r1, t1_dz
texld r2, t2_dw.xyww
texdepth r5
bem r3.xy, r1, r2
phase
texld r4, r0
mul_x4 r0, r1_x2, c0
cnd r0, r0.w, r1, r2
cmp_sat r0, r0, r1, -r2
texkill t0
