# install() rules and the CMake package, so that an outside project can
#
#   find_package(tensorc REQUIRED)           # or COMPONENTS runtime
#   target_link_libraries(app PRIVATE tensorc::tensorc)   # Model::compile
#   target_link_libraries(app PRIVATE tensorc::runtime)   # artifacts only
#
# tensorc::runtime is the static runtime (no MLIR or LLVM); tensorc::tensorc
# is libtensorc.so, the runtime with the compiler inside, which needs MLIR's
# and LLVM's shared libraries at run time. Link one of the two. tensorc::data
# (the data loaders) comes with the runtime. docs/api.md, "Packaging".

include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(TENSORC_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tensorc)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tensorc
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

set_target_properties(tensorc_runtime PROPERTIES EXPORT_NAME runtime)
set(tensorc_exported tensorc_runtime)
set(TENSORC_PACKAGE_ZLIB OFF)
if(TARGET tensorc_data)
  set_target_properties(tensorc_data PROPERTIES EXPORT_NAME data)
  list(APPEND tensorc_exported tensorc_data)
  get_target_property(data_libs tensorc_data LINK_LIBRARIES)
  if("ZLIB::ZLIB" IN_LIST data_libs)
    set(TENSORC_PACKAGE_ZLIB ON)
  endif()
endif()
set(TENSORC_PACKAGE_JIT OFF)
if(TARGET tensorc_api)
  list(APPEND tensorc_exported tensorc_api)
  set(TENSORC_PACKAGE_JIT ON)
endif()
install(TARGETS ${tensorc_exported} EXPORT tensorcTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})

# The tools. Installed, they find libMLIR and libLLVM where the build did.
set(tensorc_tools tensorc-rt)
if(TARGET tensorc)
  list(APPEND tensorc_tools tensorc)
  set_target_properties(tensorc PROPERTIES INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
endif()
install(TARGETS ${tensorc_tools} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT tensorcTargets NAMESPACE tensorc::
        DESTINATION ${TENSORC_CMAKE_INSTALL_DIR})
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/tensorcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/tensorcConfig.cmake
  INSTALL_DESTINATION ${TENSORC_CMAKE_INSTALL_DIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/tensorcConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/tensorcConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/tensorcConfigVersion.cmake
        DESTINATION ${TENSORC_CMAKE_INSTALL_DIR})
