"""`newsarchive extract`: turn saved pages or URLs into records (filled in with the extractor)."""
