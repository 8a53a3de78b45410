"""The coaching core: routines, rules, parsing and progress, free of any chat platform."""
