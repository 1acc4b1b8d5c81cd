#pragma once

#include <QStringList>

namespace quire::ui
{

// The libraries opened last, newest first, at most ten, kept in QSettings ("recentLibraries").
class RecentLibraries
{
public:
    static constexpr int MaxEntries = 10;

    static QStringList list();
    static void add(const QString &path);
    static void remove(const QString &path);
    static void clear();
};

} // namespace quire::ui
