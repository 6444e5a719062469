"""What every coach screen shares: typed access to the app and one way worker failures are shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events, on
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

    @on(events.ScreenResume)
    def _note_styles_current(self) -> None:
        # Textual re-parses every stylesheet when it shows a screen whose CSS counter lags the
        # app's. A mode screen built on its first showing keeps the initial -1 until its second
        # showing, so opening it again cost a full re-parse (~0.3 s). Once shown its styles are
        # current; record that after the refresh. (Private attribute; skipped if it goes away.)
        def note() -> None:
            if hasattr(self, "_css_update_count") and hasattr(self.app, "_css_update_count"):
                self._css_update_count = self.app._css_update_count

        self.call_after_refresh(note)


class CoachModal(ModalScreen[T]):
    """A dialog over the current screen."""

    @property
    def capp(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker(self.app, event.worker, event.state)
