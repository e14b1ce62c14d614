// ps_1_2 / ps_1_3 additions.
ps_1_3
tex t0
texreg2rgb t1, t0
texdp3tex t2, t0
texdp3 t3, t0
texm3x3 t3, t0
texm3x2depth t3, t0
dp4 r0, t0, c0
cmp r1, r0, t0, t1
