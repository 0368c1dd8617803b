"""The actor registry: who a speaker is, and the file the analyst edits."""
