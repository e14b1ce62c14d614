# libvgt.so and the CMake package (find_package(vgt)), included by the top
# CMakeLists.txt once every library folder has been added.
#
# libvgt.so holds the embeddable set, the same eight libraries as the static
# archives vgt-static.pc names: base, format, protocol, the soft renderer,
# the gl backend, replay (with the soft and null backends), device and
# capture.  Not analyze or tui: their headers are not installed (no embedder
# API), they would bring SQLite and ncurses to every VMM, and bin/vgt (which
# links them statically) is how an embedder reaches them.
#
# The shared library is linked from the static libraries' own objects
# ($<TARGET_OBJECTS>), not compiled a second time: those objects are built
# position-independent (the shared library needs it; Debian's compiler
# makes PIE objects for the executables anyway, and with hidden visibility
# the calls inside the library stay direct, so the archives and bin/vgt
# lose next to nothing) and with hidden visibility.  Only what the installed headers
# declare is exported: each installed header wraps its declarations in
# `#pragma GCC visibility push(default)` ... `pop`, so a function added to a
# public header is exported and one declared in a private header is not; the
# export list cannot drift from the headers.  test `shared_symbols`
# (tests/examples/shared_symbols.sh) compares `nm -D` of the installed
# library with the functions the installed headers declare, both ways.
# Hidden visibility changes nothing for a static link (the linker resolves
# hidden symbols between objects of one executable as any other).

# The libraries in libvgt.so, in link order (each needs only those after
# it): also the order of vgt-static.pc's Libs and of vgt::vgt_static.
set(VGT_EMBED_LIBS vgt_capture vgt_device vgt_replay vgt_soft vgt_backend_gl vgt_protocol
                   vgt_format vgt_base)

foreach(lib IN LISTS VGT_EMBED_LIBS)
  set_target_properties(${lib} PROPERTIES POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)
endforeach()

# The target is vgt_shared (`vgt` is the CLI), its file libvgt.so, its
# exported name vgt::vgt.
add_library(vgt_shared SHARED)
foreach(lib IN LISTS VGT_EMBED_LIBS)
  target_sources(vgt_shared PRIVATE $<TARGET_OBJECTS:${lib}>)
endforeach()
# The system libraries the eight libraries link (their PUBLIC and PRIVATE
# dependencies); --no-undefined makes a missing one a link error here
# rather than a load error in the embedder's program.
target_link_libraries(vgt_shared PRIVATE PkgConfig::ZSTD PkgConfig::XXHASH PkgConfig::PNG
                                  PkgConfig::EPOXY PkgConfig::EGL Threads::Threads m)
# PkgConfig::X11 is the gl backend folder's own target: the same call here
# (its result cached: X11_FOUND) defines it in this directory too.
if(X11_FOUND)
  pkg_check_modules(X11 IMPORTED_TARGET x11)
  target_link_libraries(vgt_shared PRIVATE PkgConfig::X11)
endif()
# Under the sanitizers the objects call their runtime, which clang (make
# fuzz) leaves to the executable rather than linking it into a shared
# library (gcc links libasan/libubsan/libtsan in): no --no-undefined there.
if(NOT VGT_SANITIZE AND NOT VGT_TSAN)
  target_link_options(vgt_shared PRIVATE LINKER:--no-undefined)
endif()
target_link_options(vgt_shared PRIVATE
                    LINKER:--version-script=${CMAKE_CURRENT_SOURCE_DIR}/cmake/vgt_shared.map)
set_property(TARGET vgt_shared APPEND PROPERTY LINK_DEPENDS
             ${CMAKE_CURRENT_SOURCE_DIR}/cmake/vgt_shared.map)
# libvgt.so.0.1.0, libvgt.so.0 -> it (SONAME), libvgt.so -> libvgt.so.0 (the
# link-time name), as Debian lays them out.
set_target_properties(vgt_shared PROPERTIES OUTPUT_NAME vgt EXPORT_NAME vgt LINKER_LANGUAGE C
                                            VERSION ${PROJECT_VERSION} SOVERSION ${VGT_ABI_MAJOR})
# An embedder's #include "vgt_device.h": the installed headers are flat.
target_include_directories(vgt_shared INTERFACE $<INSTALL_INTERFACE:${VGT_INSTALL_INCLUDEDIR}>)
install(TARGETS vgt_shared EXPORT vgtTargets LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})

# The CMake package: lib/cmake/vgt/{vgtConfig,vgtConfigVersion,vgtTargets*}.cmake.
# vgt::vgt (libvgt.so) comes from install(EXPORT); vgt::vgt_static (the
# archives) is defined by vgtConfig.cmake itself, since the static targets'
# include directories are source paths and their dependencies pkg-config's
# imported targets.  Paths are relative to the package's own location
# (configure_package_config_file's PACKAGE_PREFIX_DIR, install(EXPORT)'s
# _IMPORT_PREFIX): the installed tree can be moved.
include(CMakePackageConfigHelpers)
set(VGT_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/vgt)
set(VGT_STATIC_ARCHIVES "")
foreach(lib IN LISTS VGT_EMBED_LIBS)
  list(APPEND VGT_STATIC_ARCHIVES "lib${lib}.a")
endforeach()
set(VGT_STATIC_PC_MODULES "libzstd libxxhash libpng epoxy")
if(X11_FOUND)
  string(APPEND VGT_STATIC_PC_MODULES " x11")
endif()
configure_package_config_file(cmake/vgtConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/cmake/vgtConfig.cmake
                              INSTALL_DESTINATION ${VGT_CMAKEDIR}
                              PATH_VARS CMAKE_INSTALL_LIBDIR VGT_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/cmake/vgtConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(EXPORT vgtTargets NAMESPACE vgt:: DESTINATION ${VGT_CMAKEDIR})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cmake/vgtConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/cmake/vgtConfigVersion.cmake
        DESTINATION ${VGT_CMAKEDIR})
