// vs_2_0: integer/bool constants, mova, static flow control, subroutines.
vs_2_0
defi i0, 3, 0, 1, 0
defb b0, true
defb b1, false
def c0, 1, 0, 0.5, -1
dcl_position v0
dcl_texcoord1 v1
mova a0.x, c0.x
mov r0, c1[a0.x]
mov r0.y, c1[a0.w]
lrp r1, c0.x, v0, r0
pow r2, r1.x, c0.z
crs r3.xyz, r1, r2
sgn r4, r3, r5, r6
abs r4, r4
nrm r5, r4
sincos r6.xy, r5.x, c2, c3
loop aL, i0
add r7, r7, c10[aL]
endloop
rep i0
add r7, r7, c0
endrep
if b0
mov r8, c0
else
mov r8, -c0
endif
call l1
callnz l2, b1
mov oPos, r0
mov oT0, v1
ret
label l1
mul r9, r0, c0
ret
label l2
ret
