"""Operations: backups and restores of the database and the uploaded files."""
