"""Small widgets shared by the screens (choices, markdown text, title bar)."""
