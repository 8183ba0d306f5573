"""``ember.version``: what ember was built with, in the fields of ``torch.version`` (a CPU
build: no CUDA, no ROCm)."""
__version__ = "0.1.0"
cuda = None
hip = None
rocm = None
xpu = None
debug = False
git_version = "Unknown"
