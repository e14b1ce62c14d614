// vs_2_x: predication, if_xx, break, break_xx, breakp, setp, 32 temps.
vs_2_x
defi i0, 4, 0, 1, 0
def c0, 1, 0, 0.5, -1
dcl_position v0
setp_gt p0, v0, c0
(p0) add r0, v0, c0
(!p0.x) mov r31, c0
if_lt r0.x, c0.y
mov r1, c0
endif
rep i0
break_ne r0.x, c0.z
breakp !p0.y
break
endrep
if p0.x
nop
endif
callnz l3, !p0.w
sgn r2, r0, r3, r4
sincos r5.x, r0.w, c1, c2
mov oPos, r0
ret
label l3
ret
