"""Chat platforms: each turns its events into core requests and core replies into messages."""
