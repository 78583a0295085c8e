# install.stage: a fresh install of BUILD_DIR into PREFIX (what was there is
# removed first, so nothing stale is found).
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
  OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed: ${rc}")
endif()
# Only the public headers and the public library: no internal header or layer.
file(GLOB_RECURSE installed RELATIVE ${PREFIX} ${PREFIX}/*)
foreach(f ${installed})
  if(f MATCHES "^include/" AND NOT f MATCHES "^include/sio/[a-z_]+\\.hpp$")
    message(FATAL_ERROR "not a public header: ${f}")
  endif()
  if(f MATCHES "libsio_|/sio_[a-z_]+\\.(a|so)")
    message(FATAL_ERROR "an internal layer was installed: ${f}")
  endif()
endforeach()
foreach(f include/sio/server.hpp include/sio/version.hpp bin/sio-chat
    share/socketio-cpp/web/index.html share/socketio-cpp/socket.io-client/socket.io.min.js)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "missing from the install: ${f}")
  endif()
endforeach()
file(GLOB_RECURSE cfg ${PREFIX}/*/socketio-cppConfig.cmake)
file(GLOB_RECURSE pc ${PREFIX}/*/socketio-cpp.pc)
if(NOT cfg OR NOT pc)
  message(FATAL_ERROR "no socketio-cppConfig.cmake or socketio-cpp.pc under ${PREFIX}")
endif()
# The exported targets: socketio-cpp::sio and nothing else.
file(GLOB targets_files ${PREFIX}/*/cmake/socketio-cpp/socketio-cppTargets.cmake
  ${PREFIX}/*/*/cmake/socketio-cpp/socketio-cppTargets.cmake)
file(STRINGS ${targets_files} created REGEX "^add_library\\(")
if(NOT created MATCHES "^add_library\\(socketio-cpp::sio (STATIC|SHARED) IMPORTED\\)$")
  message(FATAL_ERROR "the package must export socketio-cpp::sio only: ${created}")
endif()
list(LENGTH installed n)
message(STATUS "installed ${n} files into ${PREFIX}")
