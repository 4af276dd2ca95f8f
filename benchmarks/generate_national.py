"""Time `mineralstrategi generate --scale national` on SQLite and on PostgreSQL.

Run by hand (not in CI). Each run is its own process under `/usr/bin/time -v`, so the peak RSS is
the generator's own; the wall time includes start-up and migrating the empty database.

    python benchmarks/generate_national.py --sqlite-dir /work/gen-national \\
        --postgres postgres://postgres@127.0.0.1:5432/ms_gen

The data folder must be new (or empty) and the PostgreSQL database must exist and be empty
(`createdb -h 127.0.0.1 -U postgres ms_gen`): the generator refuses a database that already holds
generated data. The generated databases are left in place. Prints a Markdown table for
benchmarks/RESULTS.md.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def machine() -> str:
    cores = os.cpu_count()
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"nproc {cores}, load average {load}"


def run(command: list[str], env: dict[str, str]) -> dict[str, str]:
    """Run the generator under /usr/bin/time -v; its own and time's figures."""
    load_before = f"{os.getloadavg()[0]:.1f}"
    completed = subprocess.run(
        ["/usr/bin/time", "-v", *command], env=env, capture_output=True, text=True, check=False
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", output).group(1)
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", output).group(1))
    cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", output).group(1)) + float(
        re.search(r"System time \(seconds\): ([\d.]+)", output).group(1)
    )
    generated = re.search(r"Generated the \w+ data set \(seed \d+\) in ([\d.]+) s", output)
    observations = re.search(r"^\s*([\d ]+) observations$", output, re.MULTILINE)
    return {
        "generation (s)": generated.group(1),
        "wall incl. start-up and migrate": wall,
        "CPU (s)": f"{cpu:.1f}",
        "peak RSS (MB)": str(rss_kb // 1024),
        "observations": observations.group(1).strip(),
        "load before": load_before,
        "load after": f"{os.getloadavg()[0]:.1f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-dir", help="new data folder (default: a temporary one)")
    parser.add_argument("--postgres", help="DATABASE_URL of an empty PostgreSQL database")
    parser.add_argument("--seed", default="1")
    args = parser.parse_args()
    command = [sys.executable, "-m", "mineralstrategi.cli", "generate", "--scale", "national"]
    command += ["--seed", args.seed]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    rows = []
    data_dir = args.sqlite_dir or tempfile.mkdtemp(prefix="gen-national-")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    rows.append(("SQLite", run([*command, "--data-dir", data_dir], env)))
    print(f"SQLite database left in {data_dir}", file=sys.stderr)
    if args.postgres:
        rows.append(("PostgreSQL", run(command, {**env, "DATABASE_URL": args.postgres})))
    print(f"\n{machine()}\n")
    headers = list(rows[0][1])
    print("| database | " + " | ".join(headers) + " |")
    print("|---|" + "---|" * len(headers))
    for name, figures in rows:
        print(f"| {name} | " + " | ".join(figures[h] for h in headers) + " |")


if __name__ == "__main__":
    main()
