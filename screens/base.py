"""What every coach screen shares: typed access to the app and one way worker failures are shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from screens.app import CoachApp

T = TypeVar("T")


def report_worker(app: Any, worker: Worker[Any], state: WorkerState) -> None:
    """A failed worker becomes a notification; the app keeps running (never exits on a backend error)."""
    if state == WorkerState.ERROR and worker.error is not None:
        app.report_error(worker.error, doing=worker.description or worker.name)


class CoachScreen(Screen[None]):
    """A full screen of the app (one per mode)."""

    @property
    def capp(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker(self.app, event.worker, event.state)


class CoachModal(ModalScreen[T]):
    """A dialog over the current screen."""

    @property
    def capp(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker(self.app, event.worker, event.state)
