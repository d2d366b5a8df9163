"""The admin side: access to the import, the structures file's store, backups and the
wave import itself (also a command line: ``python -m aisnemap.admin.importer``)."""
