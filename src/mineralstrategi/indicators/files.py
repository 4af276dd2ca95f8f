"""Reading the files of imports kept in the default storage (a folder on this server, or a bucket that every
server reaches: settings.MEDIA_STORAGE). The parsers of `ingest` read a path, so a file kept
elsewhere is read from a copy on this machine, made for the while it is read."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage


@contextmanager
def local_path(name: str) -> Iterator[Path]:
    """A path on this machine to the stored file `name`: the file itself on a local disk, else a
    copy in a temporary folder, removed afterwards. FileNotFoundError when it is not kept."""
    if not name:
        raise FileNotFoundError("no file is kept")
    try:
        on_disk = Path(default_storage.path(name))
    except NotImplementedError:  # object storage: no path of its own
        on_disk = None
    if on_disk is not None:
        if not on_disk.is_file():
            raise FileNotFoundError(name)
        yield on_disk
        return
    with tempfile.TemporaryDirectory(prefix="mineralstrategi-import-") as folder:
        copy = Path(folder) / Path(name).name
        with default_storage.open(name, "rb") as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        yield copy


def storage_name_of_path(recorded: str, folder: str) -> str:
    """The name in the default storage of a file recorded by its absolute path, as imports and
    follow-up reports were before their files went through the storage (the data migrations):
    its path under MEDIA_ROOT when the storage has it there; else the file, if it is on this
    machine, copied into the storage under `folder`; else "" (nothing left to read)."""
    path = Path(recorded)
    if not recorded or not path.is_absolute():
        return recorded  # a name in the storage already
    try:
        name = path.resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()).as_posix()
    except ValueError:  # kept outside the media
        name = ""
    if name and default_storage.exists(name):
        return name
    if path.is_file():
        with path.open("rb") as handle:
            return default_storage.save(f"{folder}/{path.name}", File(handle))
    return ""


def stored_files_renamed(model, folder: str) -> int:
    """Record each stored file of `model` (a migration's) by its name in the default storage."""
    renamed = 0
    for pk, recorded in model.objects.exclude(stored_file="").values_list("pk", "stored_file"):
        name = storage_name_of_path(recorded, folder)
        if name != recorded:
            model.objects.filter(pk=pk).update(stored_file=name)
            renamed += 1
    return renamed
