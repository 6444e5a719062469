"""What every coach screen shares: typed access to the app and one way worker failures are shown."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events
from textual._context import NoActiveAppError
from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from screens.app import CoachApp

T = TypeVar("T")

STYLES = Path(__file__).with_name("styles")


def load_css(app: App[Any], *paths: Path) -> None:
    """Add these CSS files to the app's stylesheet (once each), as rules of the same rank as
    app.tcss (not DEFAULT_CSS: they keep the priority they had there)."""
    stylesheet = app.stylesheet
    for path in paths:
        if not stylesheet.has_source(str(path), ""):
            # add_source, not Stylesheet.read: it also drops the selector map built from the
            # rules parsed so far, which read() leaves for the next node to be matched against.
            stylesheet.add_source(path.read_text(encoding="utf-8"), read_from=(str(path), ""),
                                  is_default_css=False)


class ScreenCSS:
    """Loads `CSS_FILES` into the app's stylesheet when the first instance is registered.

    Everything in the app's CSS_PATH is parsed, and every widget matched against it, at start-up;
    the rules of the screens that are not shown yet cost that for nothing. Here they come in with
    the first screen (or widget) that uses them, before its widgets are styled. Unlike a Screen's
    CSS_PATH (which Textual loads by re-styling every widget of every screen) nothing already
    on screen is re-styled: these rules only select the new screen's widgets."""

    CSS_FILES: ClassVar[tuple[Path, ...]] = ()

    def _post_register(self, app: App[Any]) -> None:
        super()._post_register(app)  # type: ignore[misc]
        load_css(app, *self.CSS_FILES)


def report_worker(app: Any, worker: Worker[Any], state: WorkerState) -> None:
    """A failed worker becomes a notification; the app keeps running (never exits on a backend error)."""
    if state == WorkerState.ERROR and worker.error is not None:
        app.report_error(worker.error, doing=worker.description or worker.name)


def _styled_now(screen: Screen[Any]) -> None:
    """Mark a new screen as styled with the app's current stylesheet, which is true once the app
    has refreshed its CSS: the screen's widgets are styled as they mount. Textual treats a new
    screen as out of date (generation -1), so the first switch to a mode restyled every widget of
    every screen twice (once as the mode starts, once as it becomes current)."""
    try:
        app = screen.app
        current = app.screen if app._screen_stack else None
    except NoActiveAppError:
        return  # made outside a running app (some tests): Textual's own check then applies
    # The first screen of all is left alone: the app's first CSS refresh (theme variables) is
    # the one that runs for it.
    if current is not None and current._css_update_count == app._css_update_count:
        screen._css_update_count = app._css_update_count


class CoachScreen(ScreenCSS, Screen[None]):
    """A full screen of the app (one per mode)."""

    def __init__(self) -> None:
        super().__init__()
        self._coach_suspended = False
        _styled_now(self)

    def _on_mount(self, event: events.Mount) -> None:
        # (Textual calls this besides Screen's and Widget's own _on_mount: one per class.)
        # Its widgets have just been styled with the stylesheet as it is: the first screen of the
        # app was left out of date (-1) by Textual, so every return to it restyled the whole app.
        # (A theme change since bumps the app's count and refreshes every screen anyway.)
        self._css_update_count = self.app._css_update_count
        painted = getattr(self.app, "startup_painted", None)
        if painted is not None:
            self.call_after_refresh(painted)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler, which restyles every widget when this flag is set.
        # Until the screen is first suspended its widgets have the styles they were given as they
        # mounted, from the current stylesheet: restyling them all gives the same styles again.
        if not self._coach_suspended and self._css_update_count == self.app._css_update_count:
            event.refresh_styles = False

    def _on_screen_suspend(self) -> None:
        self._coach_suspended = True

    @property
    def capp(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker(self.app, event.worker, event.state)


class CoachModal(ScreenCSS, ModalScreen[T]):
    """A dialog over the current screen."""

    CSS_FILES: ClassVar[tuple[Path, ...]] = (STYLES / "dialogs.tcss",)

    @property
    def capp(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker(self.app, event.worker, event.state)
