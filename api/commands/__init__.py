"""The ``clew`` sub-commands, one module per group."""
