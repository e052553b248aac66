"""The rules of the shop: pure Python, no database, no terminal, no printer."""
