"""Reading a handbook chapter as its tests need it: its code blocks and the commands in them.

A command is a line of a console block that starts with `$ `; the lines under it, up to the next
command, are what it prints. Console blocks are fenced (```console) at the top level of a
chapter, or indented by eight spaces inside a list item (Python-Markdown's fences do not nest in
lists)."""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^( *)```(\w*)\s*$")
NESTED_COMMAND = re.compile(r"^ {8}\$ ")


@dataclass(frozen=True)
class Block:
    language: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Command:
    line: str  # as written after "$ "
    output: tuple[str, ...]  # the lines the chapter shows under it


def chapters(name: str) -> tuple[Path, Path]:
    """The Swedish and the English chapter of that file name."""
    return ROOT / "docs" / "handbok" / name, ROOT / "docs" / "handbook" / name


def blocks(path: Path) -> list[Block]:
    lines = path.read_text().split("\n")
    found: list[Block] = []
    i = 0
    while i < len(lines):
        if fence := FENCE.match(lines[i]):
            indent, body = len(fence.group(1)), []
            i += 1
            while lines[i].strip() != "```":
                body.append(lines[i][indent:])
                i += 1
            found.append(Block(fence.group(2), tuple(body)))
        elif NESTED_COMMAND.match(lines[i]):
            body = []
            while i < len(lines) and lines[i].startswith(" " * 8):
                body.append(lines[i][8:])
                i += 1
            found.append(Block("console", tuple(body)))
            continue
        i += 1
    return found


def commands(path: Path) -> list[Command]:
    found: list[tuple[str, list[str]]] = []
    for block in blocks(path):
        if block.language != "console":
            continue
        for line in block.lines:
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found and line.strip():
                found[-1][1].append(line)
    # Every "$ " line of the chapter is in a console block read here.
    written = [line for line in path.read_text().split("\n") if line.lstrip().startswith("$ ")]
    assert len(written) == len(found), f"{path.name}: a command outside a console block"
    return [Command(line, tuple(output)) for line, output in found]
