#pragma once

// An open-addressing hash map from string views to small values (internal to quire_inference).
// The tokenizers look up millions of short strings; node-based std::unordered_map spends most of
// that time on cache misses.

#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>
#include <vector>

namespace quire::inference
{

template <typename Value> class FlatStringMap
{
public:
    // The keys are not copied: they must outlive the map.
    void insertOrAssign(std::string_view key, Value value)
    {
        if ((m_size + 1) * 2 > m_slots.size())
            grow();
        const std::uint64_t h = hash(key);
        Slot &slot = m_slots[probe(key, h)];
        if (!slot.used) {
            slot = Slot { key, h, value, true };
            ++m_size;
        } else {
            slot.value = value;
        }
    }

    const Value *find(std::string_view key) const
    {
        if (m_size == 0)
            return nullptr;
        const Slot &slot = m_slots[probe(key, hash(key))];
        return slot.used ? &slot.value : nullptr;
    }

    std::size_t size() const { return m_size; }
    void reserve(std::size_t n)
    {
        while (m_slots.size() < n * 2)
            grow();
    }

private:
    struct Slot {
        std::string_view key;
        std::uint64_t hash = 0;
        Value value {};
        bool used = false;
    };

    static std::uint64_t hash(std::string_view key) { return std::hash<std::string_view> {}(key); }

    std::size_t probe(std::string_view key, std::uint64_t h) const
    {
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const Slot &s = m_slots[i];
            if (!s.used || (s.hash == h && s.key == key))
                return i;
        }
    }

    void grow()
    {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(old.empty() ? 16 : old.size() * 2, Slot {});
        for (const Slot &s : old) {
            if (s.used)
                m_slots[probe(s.key, s.hash)] = s;
        }
    }

    std::vector<Slot> m_slots;
    std::size_t m_size = 0;
};

} // namespace quire::inference
