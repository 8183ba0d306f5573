"""``ember.device``: where a tensor's memory lives.  ember computes with NumPy, so always the CPU."""


class device:
    """A device such as ``device('cpu')``.  Only the CPU exists in ember today."""

    __slots__ = ("type", "index")

    def __init__(self, type="cpu", index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        if ":" in type:
            type, _, idx = type.partition(":")
            index = int(idx)
        if type not in ("cpu", "cuda", "mps", "meta"):
            raise RuntimeError("Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, "
                               "ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, "
                               "mtia, privateuseone device type at start of device string: "
                               + type)
        self.type = type
        self.index = index

    def __repr__(self):
        if self.index is None:
            return "device(type='{}')".format(self.type)
        return "device(type='{}', index={})".format(self.type, self.index)

    def __str__(self):
        return self.type if self.index is None else "{}:{}".format(self.type, self.index)

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")


def check(dev):
    """Accepts ``None``/'cpu'/device('cpu'); raises torch's error for devices ember lacks."""
    if dev is None or dev is CPU or dev == "cpu":
        return CPU
    d = device(dev) if not isinstance(dev, device) else dev
    if d.type == "cpu":
        return CPU
    if d.type == "cuda":
        raise AssertionError("Torch not compiled with CUDA enabled")
    raise RuntimeError("ember supports only the 'cpu' device, not '{}'".format(d))
