"""Widgets shared by the coach screens."""
