// Fuzz build only (force-included): a minimal std::expected for clang 14, which cannot compile
// libstdc++ 12's <expected> (it needs conditionally trivial destructors, P0848, from clang 16).
// It defines the header guard of the real <expected> so that header becomes empty.
#pragma once

#if defined(__clang__) && __clang_major__ < 16 && !defined(_GLIBCXX_EXPECTED)
#define _GLIBCXX_EXPECTED 1

#include <type_traits>
#include <utility>
#include <variant>

namespace std
{

template <typename E> class unexpected
{
public:
    template <typename G = E>
    requires(!is_same_v<remove_cvref_t<G>, unexpected>) constexpr explicit unexpected(G &&e)
        : m_error(std::forward<G>(e))
    {
    }
    constexpr const E &error() const & { return m_error; }
    constexpr E &error() & { return m_error; }
    constexpr E &&error() && { return std::move(m_error); }

private:
    E m_error;
};

template <typename E> unexpected(E) -> unexpected<E>;

template <typename T, typename E> class expected
{
public:
    using value_type = T;
    using error_type = E;

    constexpr expected() requires is_default_constructible_v<T> : m_v(in_place_index<0>) { }
    template <typename U = T>
    requires(
        !is_same_v<remove_cvref_t<U>,
            expected> && is_constructible_v<T, U> && !is_same_v<remove_cvref_t<U>, in_place_t>) constexpr expected(U
            &&v)
        : m_v(in_place_index<0>, std::forward<U>(v))
    {
    }
    template <typename G>
    constexpr expected(const unexpected<G> &u)
        : m_v(in_place_index<1>, u.error())
    {
    }
    template <typename G>
    constexpr expected(unexpected<G> &&u)
        : m_v(in_place_index<1>, std::move(u).error())
    {
    }

    constexpr bool has_value() const { return m_v.index() == 0; }
    constexpr explicit operator bool() const { return has_value(); }
    constexpr T &operator*() & { return std::get<0>(m_v); }
    constexpr const T &operator*() const & { return std::get<0>(m_v); }
    constexpr T &&operator*() && { return std::get<0>(std::move(m_v)); }
    constexpr T *operator->() { return &std::get<0>(m_v); }
    constexpr const T *operator->() const { return &std::get<0>(m_v); }
    constexpr T &value() & { return std::get<0>(m_v); }
    constexpr const T &value() const & { return std::get<0>(m_v); }
    constexpr E &error() & { return std::get<1>(m_v); }
    constexpr const E &error() const & { return std::get<1>(m_v); }
    template <typename U> constexpr T value_or(U &&other) const &
    {
        return has_value() ? **this : static_cast<T>(std::forward<U>(other));
    }

private:
    variant<T, E> m_v;
};

template <typename E> class expected<void, E>
{
public:
    using value_type = void;
    using error_type = E;

    constexpr expected() = default;
    template <typename G>
    constexpr expected(const unexpected<G> &u)
        : m_error(u.error())
        , m_has(false)
    {
    }
    template <typename G>
    constexpr expected(unexpected<G> &&u)
        : m_error(std::move(u).error())
        , m_has(false)
    {
    }
    constexpr bool has_value() const { return m_has; }
    constexpr explicit operator bool() const { return m_has; }
    constexpr void operator*() const { }
    constexpr E &error() & { return m_error; }
    constexpr const E &error() const & { return m_error; }

private:
    E m_error {};
    bool m_has = true;
};

} // namespace std

#endif
