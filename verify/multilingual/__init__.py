"""Claims in languages other than English: the multilingual sentence encoder (USE-m), the one
claim space every language is placed in, and the stance reader for pairs that are not both
English (``router`` sends each pair to its reader)."""
