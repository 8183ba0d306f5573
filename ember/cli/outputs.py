"""The files a command writes, checked before the work starts and written all together at the
end, so that a command that fails leaves no file behind (and never half of its results).

    files = Outputs("results", ["linear.pth", "loss.png"])    # checks: CommandError if unusable
    ...                                                       # the work
    files.write({"linear.pth": data, "loss.png": picture})    # each file whole, or none at all
"""
import os
import tempfile

from . import CommandError

__all__ = ["Outputs", "check_folder"]


def check_folder(folder, option):
    """Refuses a folder that cannot be made or written to (``option`` names it in the message):
    a file in its place, or a missing parent that cannot be made."""
    path = os.path.abspath(folder)
    existing = path
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise CommandError("{} {}: {} is a file, not a folder".format(
            option, folder, os.path.relpath(existing) if existing != path else "this"))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CommandError("{} {}: no permission to write in {}".format(
            option, folder, existing))


class Outputs:
    """The files ``names`` in ``folder`` (made when the files are written)."""

    def __init__(self, folder, names, option="--out"):
        check_folder(folder, option)
        self.folder = folder
        for name in names:
            path = self.path(name)
            if os.path.isdir(path):
                raise CommandError("cannot write {}: there is a folder of that name".format(path))
            if os.path.exists(path) and not os.access(path, os.W_OK):
                raise CommandError("cannot write {}: no permission".format(path))

    def path(self, name):
        return os.path.normpath(os.path.join(self.folder, name))

    def write(self, files):
        """Writes ``{name: bytes}``: each to a temporary file first, then all renamed into
        place; on any failure the temporary files are removed and nothing is replaced."""
        try:
            os.makedirs(self.folder, exist_ok=True)
        except OSError as e:
            raise CommandError("cannot make the folder {}: {}".format(
                self.folder, e.strerror)) from None
        umask = os.umask(0)
        os.umask(umask)
        written = []
        try:
            for name, data in files.items():
                fd, temporary = tempfile.mkstemp(prefix="." + name, dir=self.folder)
                written.append((temporary, self.path(name)))
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.chmod(temporary, 0o666 & ~umask)     # as open() would have made it
            for temporary, path in written:
                os.replace(temporary, path)
        except OSError as e:
            for temporary, _ in written:
                if os.path.exists(temporary):
                    os.remove(temporary)
            raise CommandError("cannot write {}: {}".format(
                getattr(e, "filename", None) or self.folder, e.strerror)) from None
