"""Reading an import's files (a zip, a folder or one file) as text, with errors that name file and line.

Every reader here raises `ImportFailed` for anything wrong with the input, so the importers above
never see a bare UnicodeDecodeError, zipfile.BadZipFile or csv.Error.
"""

from __future__ import annotations

import csv
import io
import lzma
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coach.errors import ImportFailed

# Big enough for real exports, small enough that a hostile zip cannot fill the memory.
MAX_FILE_BYTES = 512 * 1024 * 1024
# What a damaged zip raises: bad headers, bad compressed data, an unknown version or method,
# an encrypted member (RuntimeError), a missing member (KeyError).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, ValueError, KeyError,
               NotImplementedError, RuntimeError)


def failed(file: str, line: int | None, reason: str) -> ImportFailed:
    """The one shape of an import error: which file, which line, why; the store is untouched."""
    where = f"{file}, line {line}" if line else file
    return ImportFailed(
        f"Cannot import {where}: {reason}. Nothing was imported; your data is unchanged.",
        "Fix or re-export the file, or pick the format with --format.",
    )


@dataclass(frozen=True)
class Bundle:
    """The files of one import: members of a zip, files under a folder, or a single file."""

    path: Path
    members: tuple[str, ...]  # relative names (posix) for zips and folders; the file name otherwise
    kind: str = "file"  # "dir", "zip" or "file"

    @classmethod
    def open(cls, path: Path) -> Bundle:
        if not path.exists():
            raise ImportFailed(f"No such file or folder: {path}.", "Check the path and try again.")
        if path.is_dir():
            names = sorted(
                p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()
            )
            return cls(path, tuple(names), "dir")
        if zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as zf:
                    names = [i.filename for i in zf.infolist() if not i.is_dir()]
            except (*_ZIP_ERRORS, OSError) as exc:
                raise failed(path.name, None, f"the zip file is damaged or truncated ({exc})") from None
            return cls(path, tuple(sorted(names)), "zip")
        if path.suffix.lower() == ".zip":
            raise failed(path.name, None, "the zip file is damaged or truncated")
        return cls(path, (path.name,))

    @property
    def is_single_file(self) -> bool:
        return self.kind == "file"

    def find(self, basename: str) -> str | None:
        """The member whose file name is `basename` (case-insensitive), shallowest first."""
        low = basename.casefold()
        hits = [m for m in self.members if PurePosixPath(m).name.casefold() == low]
        return min(hits, key=lambda m: (m.count("/"), m)) if hits else None

    def display(self, member: str) -> str:
        return self.path.name if self.is_single_file else f"{self.path.name}:{member}"

    def read_bytes(self, member: str) -> bytes:
        try:
            if self.kind == "dir":
                data = (self.path / member).read_bytes()
            elif self.is_single_file:
                data = self.path.read_bytes()
            else:
                with zipfile.ZipFile(self.path) as zf:
                    info = zf.getinfo(member)
                    if info.file_size > MAX_FILE_BYTES:
                        raise failed(self.display(member), None, "the file is too large to import")
                    data = zf.read(member)
        except ImportFailed:
            raise
        except _ZIP_ERRORS as exc:
            raise failed(self.display(member), None, f"cannot unpack it ({exc})") from None
        except OSError as exc:
            raise failed(self.display(member), None, f"cannot read it ({exc.strerror or exc})") from None
        return data

    def read_text(self, member: str) -> str:
        return decode(self.read_bytes(member), self.display(member))


def decode(data: bytes, display: str, *, lenient: bool = False) -> str:
    """UTF-8 (with or without a BOM, as the services write it); anything else is an error.

    `lenient` is for sniffing the first bytes only, where a character may be cut in half."""
    if lenient:
        return data.decode("utf-8-sig", errors="replace")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: bom + exc.start].count(b"\n") + 1
        raise failed(display, line, f"not valid UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise failed(display, line, "contains a NUL byte (binary data, not text)")
    return text


@dataclass(frozen=True)
class CsvRow:
    """One data row, by header name, with the line it started on."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


def read_csv(
    text: str,
    display: str,
    is_header: Callable[[list[str]], bool],
    required: tuple[str, ...] = (),
) -> tuple[list[str], Iterator[CsvRow]]:
    """Find the header row (skipping any preamble), then yield rows mapped by column name.

    Rows with a different number of cells than the header, or broken quoting, are errors: a
    shifted row would put a company in the email column.
    """
    header_line, header = _find_header(text, display, is_header)
    missing = [c for c in required if c not in header]
    if missing:
        raise failed(display, header_line, f"missing column(s) {', '.join(missing)}")
    return header, _rows(text, display, header_line, header)


def _find_header(
    text: str, display: str, is_header: Callable[[list[str]], bool]
) -> tuple[int, list[str]]:
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        for row in reader:
            cells = [c.strip() for c in row]
            if cells and is_header(cells):
                return reader.line_num, cells
            if reader.line_num > 50:  # the preamble is a few lines; past that, it is not this format
                break
    except csv.Error as exc:
        raise failed(display, reader.line_num, f"broken CSV ({exc})") from None
    raise failed(display, None, "no header row of the expected format was found")


def _rows(text: str, display: str, header_line: int, header: list[str]) -> Iterator[CsvRow]:
    reader = csv.reader(io.StringIO(text), strict=True)
    width = len(header)
    end = 0  # the line the previous row ended on; a row starts on the next one
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if end <= header_line:
                continue
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != width:
                raise failed(
                    display, start, f"the row has {len(row)} cells but the header has {len(header)}"
                )
            yield CsvRow(start, dict(zip(header, row, strict=True)))
    except csv.Error as exc:
        raise failed(display, reader.line_num, f"broken CSV ({exc})") from None
