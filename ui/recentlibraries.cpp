#include "ui/recentlibraries.h"

#include <QFileInfo>
#include <QSettings>

namespace quire::ui
{

namespace
{
const QString Key = QStringLiteral("recentLibraries");
}

QStringList RecentLibraries::list()
{
    return QSettings().value(Key).toStringList();
}

void RecentLibraries::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList paths = list();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    while (paths.size() > MaxEntries)
        paths.removeLast();
    QSettings().setValue(Key, paths);
}

void RecentLibraries::remove(const QString &path)
{
    QStringList paths = list();
    paths.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(Key, paths);
}

void RecentLibraries::clear()
{
    QSettings().remove(Key);
}

} // namespace quire::ui
