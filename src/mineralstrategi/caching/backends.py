"""Django's file-based cache with an `add` that is atomic across processes.

Django's `add` checks for the key and then writes, so two processes can both "add" the same key.
The page cache takes its refresh lock with `add` (only one request renders a stale page again,
see `middleware`); with the files shared by every web worker, that lock must hold between
processes, as Redis's SET NX does. Here the entry is written aside and hard-linked into place,
which fails when another process's entry is already there.
"""

import os
import tempfile

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class AtomicAddFileBasedCache(FileBasedCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version):  # also deletes the file when the entry has expired
            return False
        self._createdir()
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            os.link(tmp_path, self._key_to_file(key, version))
        except FileExistsError:
            return False
        finally:
            os.remove(tmp_path)
        return True
