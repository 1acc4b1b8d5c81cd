#pragma once

#include "util/cancel.h"
#include "util/error.h"
#include "util/progress.h"

#include <QString>

namespace quire::inference
{
class Generator;
class Tokenizer;
} // namespace quire::inference

namespace quire::cli
{

// The long, shared part of a `quire generate` context ("read once, ask many"): a text evaluated once
// (--prompt-file), its KV cache saved (--save-kv), loaded (--load-kv), or both as needed (--kv-cache).
struct PrefixOptions {
    QString textFile; // --prompt-file
    QString loadFile; // --load-kv
    QString saveFile; // --save-kv
    QString cacheFile; // --kv-cache: load when it matches the model, settings and text, else compute and save
    bool parseSpecial = false;

    bool isSet() const { return !textFile.isEmpty() || !loadFile.isEmpty(); }
};

struct PrefixResult {
    int tokens = 0;
    bool loaded = false; // from a file rather than evaluated
    double seconds = 0.0; // loading, or evaluating (and saving)
    QString note; // a line for stderr: what was loaded, computed, saved, and why
};

// Fills the generator's context with the prefix. Progress and Ctrl-C (`cancel`) apply to the evaluation.
Expected<PrefixResult> preparePrefix(const PrefixOptions &options,
    inference::Generator &generator,
    const inference::Tokenizer &tokenizer,
    const CancelToken *cancel);

} // namespace quire::cli
