// ps_2_x: gradients, texldd, predication, flow control, subroutines.
ps_2_x
defi i0, 2, 0, 0, 0
defb b0, true
dcl t0
dcl_2d s0
dsx r0, t0
dsy r1, t0
texldd r2, t0, s0, r0, r1
setp_le p0, r2, c0
(p0) mov r31, r2
(!p0.z) texld r3, t0, s0
rep i0
breakp p0.x
break_eq r2.x, c0.x
break
endrep
if b0
if_ge r2.y, c0.y
call l5
callnz l5, b0
else
nop
endif
endif
mov oC0, r2
ret
label l5
ret
