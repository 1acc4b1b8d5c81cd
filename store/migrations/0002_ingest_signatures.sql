-- Ingest: near-duplicate signatures, and indexes for duplicate marks and mail threads.

CREATE TABLE document_signatures (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    minhash BLOB NOT NULL                   -- 128 little-endian uint32: one-permutation MinHash of 3-word shingles
);

CREATE INDEX documents_duplicate_of ON documents(duplicate_of);
CREATE INDEX documents_near_duplicate ON documents(near_duplicate_group);
CREATE INDEX documents_thread ON documents(thread_id);
