"""The pipeline and the stages it runs: articles -> claims -> embeddings -> topics -> pairs -> readings -> rankings."""
