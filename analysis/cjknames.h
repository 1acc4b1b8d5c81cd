#pragma once

#include "analysis/entitytypes.h"
#include "store/library.h"

#include <vector>

namespace quire::analysis
{

// Finds people in Chinese text. Names are discovered where a clause begins with one and a verb of
// speech or feeling follows (玄德曰, 孔明笑曰, 曹操大怒), and from introductions (姓刘，名备，字玄德;
// 复姓诸葛，名亮，字孔明) that also give courtesy names: 玄德, 刘玄德 and 孔明 become aliases of 刘备
// and 诸葛亮. "Surname + 公" (关公) joins the dominant person of that surname. Every occurrence of an
// accepted name or alias is then a mention, typed Person, with canonical and key set.
class CjkNameFinder
{
public:
    std::vector<Mention> find(const std::vector<store::SentenceRecord> &sentences);
};

} // namespace quire::analysis
