#include "ftstokenizer.h"

#include "util/textutil.h"

#include <new>
#include <sqlite3.h>

namespace quire::store
{

namespace
{

struct Tokenizer {
    fts5_tokenizer parent {};
    Fts5Tokenizer *parentInstance = nullptr;
};

// Forwards the parent's tokens of one stretch of the text, with offsets into the whole text.
struct Stretch {
    void *context;
    int (*onToken)(void *, int, const char *, int, int, int);
    int offset;
};

int forward(void *data, int flags, const char *token, int size, int start, int end)
{
    auto *stretch = static_cast<Stretch *>(data);
    return stretch->onToken(stretch->context, flags, token, size, start + stretch->offset, end + stretch->offset);
}

// The code point at text[i] and its length in bytes; invalid UTF-8 counts as one byte that is not CJK.
char32_t decode(const unsigned char *text, int size, int i, int *length)
{
    const unsigned char c = text[i];
    const int n = c < 0xE0 ? (c < 0xC0 ? 1 : 2) : (c < 0xF0 ? 3 : (c < 0xF5 ? 4 : 1));
    if (n == 1 || i + n > size) {
        *length = 1;
        return c;
    }
    char32_t cp = c & (0x3F >> (n - 1));
    for (int k = 1; k < n; ++k) {
        if ((text[i + k] & 0xC0) != 0x80) {
            *length = 1;
            return c;
        }
        cp = (cp << 6) | (text[i + k] & 0x3F);
    }
    *length = n;
    return cp;
}

int tokenize(Fts5Tokenizer *instance,
    void *context,
    int flags,
    const char *text,
    int size,
    int (*onToken)(void *, int, const char *, int, int, int))
{
    auto *self = reinterpret_cast<Tokenizer *>(instance);
    const auto *bytes = reinterpret_cast<const unsigned char *>(text);
    auto parentTokens = [&](int from, int to) {
        if (to <= from)
            return SQLITE_OK;
        Stretch stretch { context, onToken, from };
        return self->parent.xTokenize(self->parentInstance, &stretch, flags, text + from, to - from, forward);
    };
    int stretchStart = 0;
    for (int i = 0; i < size;) {
        if (bytes[i] < 0xE1) { // below U+1000: no CJK starts with these bytes
            ++i;
            continue;
        }
        int length = 1;
        const char32_t cp = decode(bytes, size, i, &length);
        if (!util::isCjk(cp)) {
            i += length;
            continue;
        }
        if (int rc = parentTokens(stretchStart, i); rc != SQLITE_OK)
            return rc;
        if (int rc = onToken(context, 0, text + i, length, i, i + length); rc != SQLITE_OK)
            return rc;
        i += length;
        stretchStart = i;
    }
    return parentTokens(stretchStart, size);
}

int create(void *api, const char **arguments, int count, Fts5Tokenizer **out)
{
    auto *fts5 = static_cast<fts5_api *>(api);
    auto *self = new (std::nothrow) Tokenizer;
    if (!self)
        return SQLITE_NOMEM;
    void *parentData = nullptr;
    int rc = fts5->xFindTokenizer(fts5, "unicode61", &parentData, &self->parent);
    if (rc == SQLITE_OK)
        rc = self->parent.xCreate(parentData, arguments, count, &self->parentInstance);
    if (rc != SQLITE_OK) {
        delete self;
        return rc;
    }
    *out = reinterpret_cast<Fts5Tokenizer *>(self);
    return SQLITE_OK;
}

void destroy(Fts5Tokenizer *instance)
{
    auto *self = reinterpret_cast<Tokenizer *>(instance);
    if (self->parentInstance)
        self->parent.xDelete(self->parentInstance);
    delete self;
}

} // namespace

Expected<void> registerFtsTokenizer(sqlite3 *db)
{
    fts5_api *api = nullptr;
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api)
        return fail(Error::Code::Internal, "this SQLite has no full-text search (FTS5): Quire needs it");
    fts5_tokenizer tokenizer { create, destroy, tokenize };
    if (api->xCreateTokenizer(api, FtsTokenizerName, api, &tokenizer, nullptr) != SQLITE_OK)
        return fail(Error::Code::Internal, "cannot register Quire's full-text tokenizer");
    return {};
}

} // namespace quire::store
