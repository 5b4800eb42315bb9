"""The warehouse file: models (SQL order), build, checks, publish, and the live file read."""
