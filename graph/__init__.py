"""The only package that opens a database connection or holds Cypher text."""
