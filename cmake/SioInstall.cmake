# What `cmake --install build --prefix P` puts where, the CMake package
# (find_package(socketio-cpp)), the pkg-config file, and the Debian packages
# (`cpack -G DEB` in build/). Components: Runtime (programs, the chat's page
# and client bundle, the shared library when BUILD_SHARED_LIBS=ON) and
# Development (headers, the static library or the .so link, CMake and
# pkg-config files).
include(CMakePackageConfigHelpers)

set(SIO_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/socketio-cpp)
set(SIO_DATA_DIR ${CMAKE_INSTALL_DATADIR}/socketio-cpp)

# Programs find the shared library next door ($ORIGIN/../lib) unless the
# library directory is one the loader searches anyway (/usr/lib/...).
if(BUILD_SHARED_LIBS)
  list(FIND CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES ${CMAKE_INSTALL_FULL_LIBDIR} sio_system_libdir)
  if(sio_system_libdir EQUAL -1)
    file(RELATIVE_PATH sio_rel_libdir ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
    set_target_properties(${SIO_INSTALLED_PROGRAMS} PROPERTIES INSTALL_RPATH "$ORIGIN/${sio_rel_libdir}")
  endif()
endif()

# ---- headers and the library ----
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/sio ${PROJECT_BINARY_DIR}/include/sio
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT Development
  FILES_MATCHING PATTERN "*.hpp")
install(TARGETS sio EXPORT socketio-cppTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Runtime NAMELINK_COMPONENT Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT Runtime)

# ---- the CMake package: socketio-cpp::sio ----
install(EXPORT socketio-cppTargets NAMESPACE socketio-cpp:: DESTINATION ${SIO_CMAKE_DIR}
  COMPONENT Development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/socketio-cppConfig.cmake.in
  ${PROJECT_BINARY_DIR}/socketio-cppConfig.cmake INSTALL_DESTINATION ${SIO_CMAKE_DIR})
# Before 1.0 a minor version may break the API (0.2 asks for 0.2.x); from 1.0
# on, a major version (1.2 accepts 1.x, x >= 2).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(sio_compat SameMinorVersion)
else()
  set(sio_compat SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/socketio-cppConfigVersion.cmake
  COMPATIBILITY ${sio_compat})
install(FILES ${PROJECT_BINARY_DIR}/socketio-cppConfig.cmake ${PROJECT_BINARY_DIR}/socketio-cppConfigVersion.cmake
  DESTINATION ${SIO_CMAKE_DIR} COMPONENT Development)

# ---- pkg-config: socketio-cpp.pc ----
# Shared library: users link only it and Boost.JSON (the headers' one
# dependency); the rest is private. Static library (the default): no
# libsocketio-cpp.so exists, so a plain `pkg-config --libs` must name
# everything the archive needs, hence public Requires/Libs.
set(sio_pc_deps "hiredis openssl spdlog zlib")
set(sio_pc_libs "-lboost_url -pthread")
if(BUILD_SHARED_LIBS)
  set(SIO_PC_REQUIRES "")
  set(SIO_PC_REQUIRES_PRIVATE "${sio_pc_deps}")
  set(SIO_PC_LIBS "")
  set(SIO_PC_LIBS_PRIVATE "${sio_pc_libs}")
else()
  set(SIO_PC_REQUIRES "${sio_pc_deps}")
  set(SIO_PC_REQUIRES_PRIVATE "")
  set(SIO_PC_LIBS "${sio_pc_libs}")
  set(SIO_PC_LIBS_PRIVATE "")
endif()
# prefix relative to the .pc file, so that the tree can be installed anywhere
# (cmake --install --prefix P) and still be found.
set(sio_pc_up "..")
string(REGEX MATCHALL "[^/]+" sio_libdir_parts "${CMAKE_INSTALL_LIBDIR}")
foreach(p ${sio_libdir_parts})
  string(APPEND sio_pc_up "/..")
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/socketio-cpp.pc.in ${PROJECT_BINARY_DIR}/socketio-cpp.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/socketio-cpp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT Development)

# ---- programs and the chat's files ----
if(SIO_APPS)
  install(TARGETS ${SIO_INSTALLED_PROGRAMS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT Runtime)
  # The page (sio-chat finds it at <exe>/../share/socketio-cpp/web) and the
  # official socket.io-client browser bundle from node_modules/ (scripts/deps.sh
  # installs it; nothing is downloaded here), with its licence.
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/ DESTINATION ${SIO_DATA_DIR}/web COMPONENT Runtime)
  set(sio_bundle_dir ${PROJECT_SOURCE_DIR}/node_modules/socket.io-client)
  if(EXISTS ${sio_bundle_dir}/dist/socket.io.min.js)
    install(FILES ${sio_bundle_dir}/dist/socket.io.min.js ${sio_bundle_dir}/LICENSE
      DESTINATION ${SIO_DATA_DIR}/socket.io-client COMPONENT Runtime)
  else()
    message(WARNING "node_modules/socket.io-client is missing (scripts/deps.sh installs it): "
      "an install will have sio-chat's page but not the client bundle")
  endif()
endif()

# ---- Debian packages: cpack -G DEB (in the build directory) ----
set(CPACK_PACKAGE_NAME socketio-cpp)
set(CPACK_PACKAGE_VENDOR "socketio-cpp")
set(CPACK_PACKAGE_CONTACT "socketio-cpp maintainers <socketio-cpp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_COMPONENTS_ALL Runtime Development)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # socketio-cpp_0.2.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME socketio-cpp)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION net)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "${PROJECT_DESCRIPTION}
 The programs: sio-chat (a real-time chat: its page and the socket.io-client
 browser bundle are in /usr/share/socketio-cpp), sio-client-cli, socketio-echo,
 socketio-suite-server, engineio-echo, websocket-echo and sio-bench.")
# Depends of the runtime package: computed from the programs' (and the shared
# library's) ELF dependencies by dpkg-shlibdeps.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME socketio-cpp-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION "${PROJECT_DESCRIPTION} (development files)
 Headers (include/sio), the library, the CMake package
 (find_package(socketio-cpp)) and the pkg-config file (socketio-cpp.pc).")
# The -dev package: what a program built against the headers and the library
# needs (the Debian -dev packages of the library's own dependencies).
set(sio_dev_depends "libboost-json1.81-dev, libboost-url1.81-dev, libboost1.81-dev, libssl-dev, zlib1g-dev, libhiredis-dev, libspdlog-dev, libfmt-dev, pkg-config")
if(BUILD_SHARED_LIBS)
  set(sio_dev_depends "socketio-cpp (= ${PROJECT_VERSION}), ${sio_dev_depends}")
endif()
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "${sio_dev_depends}")
include(CPack)
cpack_add_component(Runtime DISPLAY_NAME "Programs and data")
cpack_add_component(Development DISPLAY_NAME "Headers, library, CMake and pkg-config files")
