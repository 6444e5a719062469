"""coach: a local-first terminal coach for courtesy and pacing before you send a message."""

__version__ = "0.1.0"
