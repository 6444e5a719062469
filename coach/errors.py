"""One error hierarchy: every failure a person can see has a title, what happened and what to do."""

from __future__ import annotations


class CoachError(Exception):
    """Base of every error the app reports to a person.

    `message` says what happened (and what was kept); `hint` says what to do next.
    `exit_code` is what the CLI exits with when this error stops a command.
    """

    title = "Something went wrong"
    exit_code = 4

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return f"{self.message} {self.hint}".strip()


class UsageError(CoachError):
    title = "Usage error"
    exit_code = 2


class NotFoundError(CoachError):
    title = "Not found"


class StoreError(CoachError):
    title = "Storage error"


class CorruptFileError(StoreError):
    title = "Damaged data file"


class ValidationFailed(CoachError):
    title = "Invalid input"


class ConfigError(CoachError):
    title = "Configuration error"


class ImportFailed(CoachError):
    title = "Import failed"


class LLMError(CoachError):
    title = "LLM error"
