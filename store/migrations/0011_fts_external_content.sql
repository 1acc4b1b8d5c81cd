-- The full-text index reads the sentences table instead of keeping its own copy of every sentence
-- (external content), tokenizes with "quire" (store/ftstokenizer.h: unicode61 with each CJK character a
-- token, so the text is indexed as written, not in a spaced-apart search form) and keeps prefix indexes of
-- 2 and 3 characters so that queries such as whal* or mi* read one doclist instead of merging thousands.
-- Library::storeContent indexes a document's new sentences in the transaction that writes them (one
-- INSERT ... SELECT: an insert trigger would make FTS5 flush after every row); triggers remove the index
-- entries of deleted or changed sentences.

DROP TRIGGER sentences_fts_delete;
DROP TABLE sentences_fts;

CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text,
    content = 'sentences',
    content_rowid = 'id',
    prefix = '2 3',
    tokenize = 'quire remove_diacritics 2'
);
INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');

CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER sentences_fts_update AFTER UPDATE OF text ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
