"""SQLAlchemy storage: the only place that knows tables; the core sees repositories."""
