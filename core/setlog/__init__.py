"""Set logging: reading what people write, storing it, and coaching from it."""
