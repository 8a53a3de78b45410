"""Platform adapters, storage, scheduler wiring and the composition root of Glute Up."""
