"""Where config, data and shipped resources live; personal files are private (0600/0700)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

from coach.errors import StoreError

APP_NAME = "coach"
_PACKAGE_DIR = Path(__file__).resolve().parent

_home_override: Path | None = None


def set_home(path: str | os.PathLike[str] | None) -> None:
    """Point config and data at one folder (the `--home` option); None restores the defaults."""
    global _home_override
    _home_override = Path(path).expanduser().resolve() if path else None


def home_override() -> Path | None:
    if _home_override is not None:
        return _home_override
    env = os.environ.get("COACH_HOME")
    return Path(env).expanduser().resolve() if env else None


def config_dir() -> Path:
    home = home_override()
    return home if home else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    home = home_override()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Things that can be rebuilt at any time (nothing personal): the parsed stylesheet."""
    home = home_override()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


def user_prompts_dir() -> Path:
    """Templates here override the shipped ones by name."""
    return config_dir() / "prompts"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents we create) readable by the owner only."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the folder {path}: {exc.strerror or exc}.",
            "Choose another folder with --home or COACH_HOME, or fix its permissions.",
        ) from exc
    with contextlib.suppress(OSError):
        path.chmod(0o700)
    return path


def _shipped(name: str) -> Path:
    installed = _PACKAGE_DIR / "_shipped" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def shipped_prompts_dir() -> Path:
    return _shipped("prompts")


def sample_data_dir() -> Path:
    return _shipped("sample_data")
