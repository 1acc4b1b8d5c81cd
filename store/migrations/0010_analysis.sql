-- Analysis without a model (analysis/): summaries, entity mentions, entities, and the user's edits.
-- Rebuilt from the sentences at will, except entity_edits, which is the user's own and is re-applied.

CREATE TABLE analysis_documents (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,               -- analysis::Analyzer::Version that produced the rows
    content_hash TEXT NOT NULL,             -- of the sentences analysed: a change means re-analysis
    language TEXT,
    analysed_at INTEGER NOT NULL DEFAULT (unixepoch())
);

-- Extractive summaries: each row is a source sentence chosen for a scope.
CREATE TABLE summary_sentences (
    scope TEXT NOT NULL,                    -- document, section, library
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,  -- NULL for the library
    section_id INTEGER,                     -- sections.id for scope = section
    rank INTEGER NOT NULL,                  -- 0 = chosen first
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    score REAL NOT NULL
);
CREATE INDEX summary_sentences_scope ON summary_sentences(scope, document_id, section_id);

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,               -- "person:elizabeth bennet": stable across re-analysis
    name TEXT NOT NULL,
    type TEXT NOT NULL,                     -- person, organisation, place, date, ... (analysis/entitytypes.h)
    mentions INTEGER NOT NULL DEFAULT 0,
    documents INTEGER NOT NULL DEFAULT 0,
    spread INTEGER NOT NULL DEFAULT 0,      -- sections (chapters) it occurs in, over all documents
    aliases TEXT NOT NULL DEFAULT '[]',     -- JSON array of the forms it is written in
    generation INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entities_type ON entities(type, mentions);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence_id INTEGER NOT NULL,
    section INTEGER NOT NULL DEFAULT 0,     -- 1-based ordinal of the section (chapter); 0 before the first
    paragraph INTEGER NOT NULL DEFAULT 0,   -- ordinal of the paragraph in the document
    start INTEGER NOT NULL,                 -- UTF-16 offsets into document_text.text
    end INTEGER NOT NULL,
    surface TEXT NOT NULL,
    canonical TEXT NOT NULL,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    normalized TEXT,                        -- dates: ISO 8601
    entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL
);
CREATE INDEX mentions_document ON mentions(document_id, sentence_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

-- merge (key absorbed into argument), rename (argument = name), retype (argument = type), delete,
-- split (argument = JSON array of surface forms that leave the entity).
CREATE TABLE entity_edits (
    id INTEGER PRIMARY KEY,
    op TEXT NOT NULL,
    key TEXT NOT NULL,
    argument TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL DEFAULT (unixepoch())
);
