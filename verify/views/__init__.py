"""The read side: what the CLI, the board and the reports show, built from the store."""
