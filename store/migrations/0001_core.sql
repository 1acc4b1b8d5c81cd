-- Documents, their text, pages, sections and sentences, the full-text index and jobs.
-- Offsets (start, end) are UTF-16 code units into document_text.text: what QString indexes.

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES documents(id) ON DELETE CASCADE, -- archive member or mail attachment
    path TEXT NOT NULL UNIQUE,              -- absolute; inside an archive or mail: "outer!/inner"
    content_hash TEXT,                      -- hex SHA-256 of the file's bytes
    type TEXT NOT NULL DEFAULT '',          -- pdf, text, markdown, html, epub, eml, mbox, archive, ...
    size INTEGER NOT NULL DEFAULT 0,
    mtime INTEGER NOT NULL DEFAULT 0,       -- seconds since the epoch
    title TEXT,
    author TEXT,
    created TEXT,                           -- ISO 8601
    modified TEXT,
    language TEXT,
    status TEXT NOT NULL DEFAULT 'pending',  -- pending, ok, error, password_required, unsupported, empty, too_large, timeout, duplicate
    error TEXT,                             -- the human reason when status is not ok
    page_count INTEGER NOT NULL DEFAULT 0,
    duplicate_of INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    near_duplicate_group INTEGER,
    thread_id TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',     -- JSON object (mail headers, PDF producer, ...)
    added_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX documents_hash ON documents(content_hash);
CREATE INDEX documents_parent ON documents(parent_id);
CREATE INDEX documents_status ON documents(status);

CREATE TABLE document_text (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL
);

CREATE TABLE pages (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,                  -- 1-based
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    width REAL NOT NULL DEFAULT 0,          -- points, for PDFs
    height REAL NOT NULL DEFAULT 0,
    ocr INTEGER NOT NULL DEFAULT 0,         -- 1 when the text came from OCR
    words BLOB,                             -- word boxes, see store/library.h (WordBox)
    PRIMARY KEY (document_id, page)
) WITHOUT ROWID;

CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    level INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX sections_document ON sections(document_id, start);

CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL DEFAULT 1,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX sentences_document ON sentences(document_id, start);

-- rowid = sentences.id; body = util::searchForm(text) (CJK characters spaced apart).
CREATE VIRTUAL TABLE sentences_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
    DELETE FROM sentences_fts WHERE rowid = old.id;
END;

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                     -- ingest, analyze, ...
    arguments TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'running',   -- running, done, failed, cancelled
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    message TEXT,
    started_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
