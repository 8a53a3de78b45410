"""Feature modules; each declares its commands and handlers when imported."""
