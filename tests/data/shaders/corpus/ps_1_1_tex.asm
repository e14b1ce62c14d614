// ps_1_1: the matrix and register-read texture instructions.
ps_1_1
tex t0
texreg2ar t1, t0
texreg2gb t2, t0
texm3x2pad t1, t0
texm3x2tex t2, t0
texm3x3pad t1, t0
texm3x3pad t2, t0
texm3x3tex t3, t0
texm3x3spec t3, t0, c0
texm3x3vspec t3, t0
mov r0, t3
