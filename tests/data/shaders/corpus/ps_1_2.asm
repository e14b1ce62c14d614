ps_1_2
tex t0
texreg2rgb t1, t0
dp4 r0, t0, c7
cmp r1, r0, t0, t1
