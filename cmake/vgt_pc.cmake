# Run by `cmake --install` (install(SCRIPT) in the top CMakeLists.txt, after
# an install(CODE) that sets the VGT_PC_* values known at configuration):
# writes each of VGT_PC_NAMES (vgt.pc, vgt-static.pc) for CMAKE_INSTALL_PREFIX
# as it is now, the prefix given to `cmake --install --prefix` (or the
# configured one), and installs them into LIBDIR/pkgconfig under DESTDIR
# (file(INSTALL) honours DESTDIR and the install manifest).
foreach(v VGT_PC_NAMES VGT_PC_SRCDIR VGT_PC_BINDIR VGT_PC_LIBDIR VGT_PC_INCLUDEDIR
          VGT_PC_VERSION VGT_PC_STATIC_LIBS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "vgt_pc.cmake: ${v} not set (run by cmake --install only)")
  endif()
endforeach()
set(VGT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
# Paths under the prefix are written relative to it, so that
# `pkg-config --define-variable=prefix=...` relocates a staged install.
foreach(kind LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${VGT_PC_${kind}}")
    set(VGT_PC_${kind}_PATH "${VGT_PC_${kind}}")
  else()
    set(VGT_PC_${kind}_PATH "\${prefix}/${VGT_PC_${kind}}")
  endif()
endforeach()
if(IS_ABSOLUTE "${VGT_PC_LIBDIR}")
  set(vgt_pc_dest "${VGT_PC_LIBDIR}/pkgconfig")
else()
  set(vgt_pc_dest "${CMAKE_INSTALL_PREFIX}/${VGT_PC_LIBDIR}/pkgconfig")
endif()
foreach(name IN LISTS VGT_PC_NAMES)
  configure_file("${VGT_PC_SRCDIR}/${name}.pc.in" "${VGT_PC_BINDIR}/${name}.pc" @ONLY)
  file(INSTALL DESTINATION "${vgt_pc_dest}" TYPE FILE FILES "${VGT_PC_BINDIR}/${name}.pc")
endforeach()
