"""Backups and restores of the database and the uploaded files (MEDIA_ROOT).

A backup is a consistent snapshot: on SQLite the online backup API copies the whole database in
one step under one read transaction (writers wait, readers go on); on PostgreSQL `pg_dump` runs
on a snapshot exported from a REPEATABLE READ transaction, and the manifest's checksums are taken
in that same transaction, so they describe exactly what the dump holds even while writes run.

Next to the database file goes a manifest (JSON): per table the row count and a checksum of its
rows (independent of row order), the file's SHA-256, and the media archive's. `restore` checks the
file against its manifest, compares it with the live database and only replaces anything with
`for_real=True`.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections, models

MANIFEST_FORMAT = "mineralstrategi-backup/1"
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# A Mineralstrategi database has these tables; a file without them is someone else's database.
OWN_TABLES = {"django_migrations", "organisations_organisation", "strategy_strategy"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says what and where."""


@dataclass
class TableSum:
    rows: int
    sha256: str


@dataclass
class BackupResult:
    database_file: Path
    manifest_file: Path
    media_file: Path | None
    manifest: dict


@dataclass
class RestorePlan:
    """What a restore would do: the file's manifest against the live database's."""

    file: Path
    manifest: dict
    database: str
    engine: str
    differences: list[tuple[str, int | None, int | None, bool]] = field(default_factory=list)
    media_file: Path | None = None
    # After a restore: the stored files the restored rows name that the storage does not hold.
    media_missing: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return all(same for *_, same in self.differences)


# --- Checksums ----------------------------------------------------------------------------------


def _normalise(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _rows_digest(rows: Iterable[tuple]) -> TableSum:
    """Row count and a checksum that does not depend on the order the database returns rows in."""
    digests = sorted(
        hashlib.sha256(repr(tuple(_normalise(v) for v in row)).encode()).digest() for row in rows
    )
    total = hashlib.sha256()
    for digest in digests:
        total.update(digest)
    return TableSum(rows=len(digests), sha256=total.hexdigest())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_table_sums(connection: sqlite3.Connection) -> dict[str, TableSum]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        name: _rows_digest(connection.execute(f"SELECT * FROM {_quote(name)}")) for name in names
    }


def postgres_table_sums(cursor) -> dict[str, TableSum]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    names = [row[0] for row in cursor.fetchall()]
    sums = {}
    for name in names:
        cursor.execute(f"SELECT * FROM {_quote(name)}")
        sums[name] = _rows_digest(cursor.fetchall())
    return sums


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- Backup -------------------------------------------------------------------------------------


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of a {vendor} database are not supported")
    return vendor


def _stamp(folder: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate, n = stamp, 1
    while any(folder.glob(f"mineralstrategi-{candidate}.*")):
        n += 1
        candidate = f"{stamp}-{n}"
    return candidate


def backup(folder: Path, *, alias: str = "default", with_media: bool = True) -> BackupResult:
    """Write a snapshot of the database (and an archive of MEDIA_ROOT, when the media are kept
    there) with its manifest to folder."""
    engine = _engine(alias)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = f"mineralstrategi-{_stamp(folder)}"
    if engine == "sqlite":
        database_file = folder / f"{base}.sqlite3"
        sums = _sqlite_backup(Path(connections[alias].settings_dict["NAME"]), database_file)
    else:
        database_file = folder / f"{base}.pgdump"
        sums = _postgres_backup(alias, database_file)
    media_file, media_count = None, 0
    kept_in = media_kept_in()
    if with_media and not kept_in:
        media_file, media_count = _media_backup(Path(settings.MEDIA_ROOT), folder / f"{base}-media")
    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "database_file": database_file.name,
        "database_sha256": file_sha256(database_file),
        "media_file": media_file.name if media_file else None,
        "media_sha256": file_sha256(media_file) if media_file else None,
        "media_files": media_count,
        "media_kept_in": kept_in or None,
        "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sums.items()},
    }
    manifest_file = manifest_path(database_file)
    manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return BackupResult(database_file, manifest_file, media_file, manifest)


def manifest_path(database_file: Path) -> Path:
    return database_file.with_name(database_file.name + ".manifest.json")


def _sqlite_backup(live: Path, target: Path) -> dict[str, TableSum]:
    """Copy with the online backup API in one step (one consistent read), then check the copy."""
    if not live.is_file():
        raise BackupError(f"{live}: there is no database file to back up")
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=60)
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination, pages=-1)
        destination.execute("PRAGMA journal_mode=DELETE")
        _sqlite_integrity(destination, target)
        sums = sqlite_table_sums(destination)
    finally:
        destination.close()
        source.close()
    partial.replace(target)
    return sums


def _sqlite_integrity(connection: sqlite3.Connection, path: Path) -> None:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError(f"{path}: the integrity check failed: {'; '.join(result[:5])}")


def _pg_command(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools "
            "(Debian: postgresql-client) in the server's major version"
        )
    return found


def _pg_env_args(alias: str) -> tuple[dict, list[str]]:
    params = connections[alias].settings_dict
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    args = []
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    args += ["--dbname", params["NAME"]]
    return env, args


def _check_pg_version(tool: str, server_version_num: int) -> None:
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    try:
        client_major = int(output.split()[-1].split(".")[0])
    except ValueError as error:
        raise BackupError(f"{tool}: cannot read its version from {output!r}") from error
    server_major = server_version_num // 10000
    if client_major < server_major:
        raise BackupError(
            f"{tool} is version {client_major} but the server is PostgreSQL {server_major}: "
            f"install the client tools of version {server_major} or newer"
        )


def _postgres_backup(alias: str, target: Path) -> dict[str, TableSum]:
    """pg_dump on a snapshot exported by a transaction that also computes the manifest."""
    pg_dump = _pg_command("pg_dump")
    wrapper = connections[alias]
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        _check_pg_version(pg_dump, raw.info.server_version)
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            env, args = _pg_env_args(alias)
            partial = target.with_name(target.name + ".partial")
            command = [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(partial)]
            done = subprocess.run([*command, *args], env=env, capture_output=True, text=True)
            if done.returncode != 0:
                partial.unlink(missing_ok=True)
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
            sums = postgres_table_sums(cursor)
        raw.rollback()
    finally:
        raw.close()
    partial.replace(target)
    return sums


def media_kept_in() -> str:
    """Where the media are kept when not in MEDIA_ROOT on this server: "s3://bucket" with
    MEDIA_STORAGE=s3 (the bucket is backed up by the object store's own means, not here), or ""."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return ""
    bucket = getattr(storage, "bucket_name", "")
    return f"s3://{bucket}" if bucket else type(storage).__name__


def media_missing(alias: str = "default") -> list[str]:
    """The stored files that rows of the database name and their storage does not hold: after a
    restore with the media in a bucket (kept by the object store, not in the backup), the check
    that the bucket still has every file the restored rows point to."""
    missing = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, models.FileField):
                continue
            names = (
                model._default_manager.using(alias)
                .exclude(**{model_field.name: ""})
                .values_list(model_field.name, flat=True)
                .distinct()
            )
            missing += [name for name in names if name and not model_field.storage.exists(name)]
    return sorted(missing)


def _media_backup(media_root: Path, base: Path) -> tuple[Path | None, int]:
    """Archive MEDIA_ROOT (consultation attachments, news images, import files, reports)."""
    if not media_root.is_dir():
        return None, 0
    files = sorted(p for p in media_root.rglob("*") if p.is_file())
    if not files:
        return None, 0
    target = base.with_name(base.name + ".tar.gz")
    with tarfile.open(target, "w:gz") as archive:
        for path in files:
            archive.add(path, arcname=str(path.relative_to(media_root)))
    return target, len(files)


# --- Restore ------------------------------------------------------------------------------------


def _file_kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path}: not a Mineralstrategi backup (neither a SQLite database nor a PostgreSQL "
        "custom-format dump)"
    )


def _read_manifest(path: Path) -> dict | None:
    manifest_file = manifest_path(path)
    if not manifest_file.is_file():
        return None
    try:
        manifest = json.loads(manifest_file.read_text())
    except ValueError as error:
        raise BackupError(f"{manifest_file}: not valid JSON ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{manifest_file}: not a manifest of format {MANIFEST_FORMAT}")
    if manifest.get("database_sha256") != file_sha256(path):
        raise BackupError(
            f"{path}: its SHA-256 differs from the one in {manifest_file.name}: "
            "the file is damaged or is not the one the manifest describes"
        )
    return manifest


def _sqlite_file_sums(path: Path) -> dict[str, TableSum]:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{path}: cannot be opened as SQLite ({error})") from error
    try:
        _sqlite_integrity(connection, path)
        sums = sqlite_table_sums(connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not a readable SQLite database ({error})") from error
    finally:
        connection.close()
    missing = OWN_TABLES - set(sums)
    if missing:
        raise BackupError(
            f"{path}: not a Mineralstrategi database (no table {', '.join(sorted(missing))})"
        )
    return sums


def _pg_list(path: Path) -> list[str]:
    done = subprocess.run(
        [_pg_command("pg_restore"), "--list", str(path)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"{path}: pg_restore cannot read it: {done.stderr.strip()}")
    tables = [line.split()[-2] for line in done.stdout.splitlines() if " TABLE DATA " in line]
    missing = OWN_TABLES - set(tables)
    if missing:
        raise BackupError(
            f"{path}: not a Mineralstrategi dump (no table {', '.join(sorted(missing))})"
        )
    return tables


def live_sums(alias: str = "default") -> dict[str, TableSum]:
    """The live database's per-table row counts and checksums (one read transaction)."""
    engine = _engine(alias)
    if engine == "sqlite":
        live = Path(connections[alias].settings_dict["NAME"])
        if not live.is_file():
            return {}
        connection = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=60)
        try:
            connection.execute("BEGIN")
            return sqlite_table_sums(connection)
        finally:
            connection.close()
    wrapper = connections[alias]
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            sums = postgres_table_sums(cursor)
        raw.rollback()
        return sums
    finally:
        raw.close()


def restore_plan(path: Path, *, alias: str = "default") -> RestorePlan:
    """Validate the file and compare it with the live database; changes nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: there is no such file")
    kind = _file_kind(path)
    engine = _engine(alias)
    if kind != engine:
        raise BackupError(f"{path}: a {kind} backup cannot be restored into a {engine} database")
    manifest = _read_manifest(path)
    if kind == "sqlite":
        sums = _sqlite_file_sums(path)
        if manifest is not None and _as_dict(sums) != manifest["tables"]:
            raise BackupError(f"{path}: its rows differ from its manifest's checksums")
        backup_tables = _as_dict(sums)
    else:
        _pg_list(path)
        if manifest is None:
            raise BackupError(
                f"{path}: its manifest {manifest_path(path).name} is missing: a dump is only "
                "restored with the manifest that vouches for it"
            )
        backup_tables = manifest["tables"]
    current = _as_dict(live_sums(alias))
    plan = RestorePlan(
        file=path,
        manifest=manifest or {"tables": backup_tables},
        database=str(connections[alias].settings_dict["NAME"]),
        engine=engine,
    )
    for name in sorted(set(backup_tables) | set(current)):
        now, then = current.get(name), backup_tables.get(name)
        plan.differences.append((name, now and now["rows"], then and then["rows"], now == then))
    if manifest and manifest.get("media_file"):
        media = path.with_name(manifest["media_file"])
        if not media.is_file():
            raise BackupError(f"{media}: the media archive named in the manifest is missing")
        if file_sha256(media) != manifest["media_sha256"]:
            raise BackupError(f"{media}: its SHA-256 differs from the manifest's")
        plan.media_file = media
    return plan


def _as_dict(sums: dict[str, TableSum]) -> dict[str, dict]:
    return {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sums.items()}


def restore(path: Path, *, alias: str = "default") -> RestorePlan:
    """Replace the live database (and MEDIA_ROOT) with the backup. Stop the server first."""
    plan = restore_plan(path, alias=alias)
    if plan.engine == "sqlite":
        _sqlite_restore(plan.file, Path(plan.database))
    else:
        _postgres_restore(plan.file, alias)
    connections[alias].close()
    if plan.media_file:
        _media_restore(plan.media_file, Path(settings.MEDIA_ROOT))
    plan.media_missing = media_missing(alias)
    after = _as_dict(live_sums(alias))
    if after != plan.manifest["tables"]:
        changed = [n for n in plan.manifest["tables"] if after.get(n) != plan.manifest["tables"][n]]
        raise BackupError(
            f"after the restore these tables differ from the backup: {', '.join(changed[:10])}"
        )
    return plan


def _sqlite_restore(path: Path, live: Path) -> None:
    """Write the backup into the live file with the backup API (one transaction, WAL-safe)."""
    live.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    destination = sqlite3.connect(live, timeout=60)
    try:
        source.backup(destination, pages=-1)
    finally:
        destination.close()
        source.close()


def _postgres_restore(path: Path, alias: str) -> None:
    pg_restore = _pg_command("pg_restore")
    env, args = _pg_env_args(alias)
    command = [
        pg_restore, "--clean", "--if-exists", "--single-transaction", "--no-owner",
        "--exit-on-error", *args, str(path),
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing was changed): {done.stderr.strip()}")


def _media_restore(archive: Path, media_root: Path) -> None:
    """Unpack into a fresh folder, then swap it with MEDIA_ROOT (the old one is kept aside)."""
    fresh = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(fresh, filter="data")
    if media_root.exists():
        aside = media_root.with_name(
            f"{media_root.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
        )
        media_root.rename(aside)
    fresh.rename(media_root)
