# Fails when a file under geo/ includes a GL, GLFW, ImGui or windowing header.
include("${CMAKE_CURRENT_LIST_DIR}/include_check.cmake")
check_includes("${ROOT}" "[<\"](GL/|GLES|GLFW/|EGL/|imgui|imgui/|epoxy/|glad/|X11/)"
               "geo/ must not include GL, GLFW or ImGui headers")
