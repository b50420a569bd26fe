"""Chinese full-text search: one analyzer, an on-disk whoosh index and a static browser index."""
