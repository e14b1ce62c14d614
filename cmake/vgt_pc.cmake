# Run by `cmake --install` (install(SCRIPT) in the top CMakeLists.txt, after
# an install(CODE) that sets the VGT_PC_* values known at configuration):
# writes vgt.pc for CMAKE_INSTALL_PREFIX as it is now, the prefix given to
# `cmake --install --prefix` (or the configured one), and installs it into
# LIBDIR/pkgconfig under DESTDIR (file(INSTALL) honours DESTDIR and the
# install manifest).
foreach(v VGT_PC_IN VGT_PC_OUT VGT_PC_LIBDIR VGT_PC_INCLUDEDIR VGT_PC_VERSION)
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
configure_file("${VGT_PC_IN}" "${VGT_PC_OUT}" @ONLY)
file(INSTALL DESTINATION "${vgt_pc_dest}" TYPE FILE FILES "${VGT_PC_OUT}")
