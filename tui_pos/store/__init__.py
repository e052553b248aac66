"""peewee on SQLite: the only package that knows SQL."""
