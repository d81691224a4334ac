"""One module per screen; each is imported only when it is first shown."""
