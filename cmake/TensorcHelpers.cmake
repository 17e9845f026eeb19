# Small helpers so that the CMakeLists under dialects/, compiler/ and tools/
# read as lists of sources and dependencies.

# add_tensorc_library(name SOURCES... [DEPENDS tablegen targets...]
#                     [LINK_LIBS libs...])
# A library of the compiler. It links MLIR and LLVM as shared libraries (fast
# links), so it must never be linked into runtime/.
function(add_tensorc_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS} MLIR LLVM)
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  # Tools link every compiler library (see tensorc_link_compiler).
  set_property(GLOBAL APPEND PROPERTY TENSORC_COMPILER_LIBS ${name})
endfunction()

# tensorc_link_compiler(target): links every library made with
# add_tensorc_library, in one rescanned group so that their order does not
# matter. Components register themselves; the tools need no edits when one is
# added.
function(tensorc_link_compiler target)
  get_property(libs GLOBAL PROPERTY TENSORC_COMPILER_LIBS)
  target_link_libraries(${target} PRIVATE "$<LINK_GROUP:RESCAN,${libs}>")
endfunction()

# add_tensorc_tool(name SOURCES... [LINK_LIBS libs...])
function(add_tensorc_tool name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS} MLIR LLVM)
endfunction()

# add_tensorc_unittest(name SOURCES... [LINK_LIBS libs...])
# A GoogleTest binary registered with ctest.
function(add_tensorc_unittest name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS} GTest::gtest
                        GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                        ${CMAKE_BINARY_DIR}/unittests)
  add_test(NAME ${name} COMMAND ${name})
endfunction()
