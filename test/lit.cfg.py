# lit configuration for tensorc's FileCheck tests.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "tensorc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".tdsl", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tensorc_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%examples", os.path.join(config.tensorc_src_root, "examples")))
config.substitutions.append(("%python", config.python3 or "python3"))

# TC_NUMERICS_SEED replays the random inputs of the numerics tests.
llvm_config.with_system_environment(["HOME", "TMPDIR", "TC_NUMERICS_SEED"])
llvm_config.use_default_substitutions()
# The tests' own cache directory: tiles a user tuned (tensorc tune) must not
# change what the tests compile. Tests of the cache choose theirs.
config.environment["TENSORC_CACHE_DIR"] = os.path.join(
    config.test_exec_root, "cache")

tool_dirs = [config.tensorc_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    ["tensorc", "tensorc-opt", "tensorc-fuzz-smoke"], tool_dirs)
llvm_config.with_environment("PATH", config.tensorc_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

if config.ptxas and os.path.exists(config.ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.ptxas))
# The NVRTC backend runs where libnvrtc is installed (no GPU needed).
for lib in ("/usr/local/cuda/lib64/libnvrtc.so", "/usr/lib/x86_64-linux-gnu/libnvrtc.so"):
    if os.path.exists(lib):
        config.available_features.add("nvrtc")
        break
# GPU tests run only where a CUDA driver is present.
if os.path.exists("/dev/nvidia0"):
    config.available_features.add("cuda")
# Debian's dataset-fashion-mnist (scripts/setup.sh installs it).
if os.path.exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"):
    config.available_features.add("fashion-mnist")
import subprocess
for feature, modules in (("torch", "torch"),
                         ("safetensors", "numpy, safetensors.numpy")):
    try:
        subprocess.run([config.python3, "-c", "import " + modules],
                       check=True, capture_output=True)
        config.available_features.add(feature)
    except Exception:
        pass
