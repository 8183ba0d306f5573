"""The temporary files of atomic saves: named after the target and the saving process, so that
the leftovers of a save that was killed midway can be recognised and removed later.

``save(obj, 'model.pth')`` writes ``.model.pth.<pid>-<random>.tmp`` and renames it into place.
Killed before the rename, the process leaves that file behind; the next save to ``model.pth``,
or the next ``load`` of it, removes every such file whose process no longer runs (a file of a
live process is a save still in progress, and is left alone).
"""
import os
import re
import secrets


def temporary_path(target):
    """A fresh temporary path next to ``target`` (an absolute path), naming this process."""
    folder, base = os.path.split(target)
    return os.path.join(folder, ".{}.{}-{}.tmp".format(base, os.getpid(), secrets.token_hex(6)))


def _running(pid):
    """Whether process ``pid`` exists (on this machine)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True                 # someone else's process, or no way to tell: keep the file
    return True


def remove_stale(path):
    """Deletes the temporary files that killed saves to ``path`` left behind."""
    if os.name != "posix":          # os.kill(pid, 0) would terminate the process on Windows
        return
    target = os.path.realpath(path)
    folder, base = os.path.split(target)
    pattern = re.compile(r"\.{}\.(\d+)-[0-9a-f]{{12}}\.tmp\Z".format(re.escape(base)))
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = pattern.match(name)
        if match and not _running(int(match.group(1))):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass                # removed meanwhile by another process
