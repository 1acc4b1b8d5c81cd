#include "ui/modelsettings.h"

#include <QFileInfo>
#include <QSettings>
#include <QStringList>

namespace quire::ui
{

namespace
{

// A stored value that is not one of `allowed` reads as "auto": a hand-edited setting never breaks loading.
QString oneOf(const QVariant &value, const QStringList &allowed)
{
    const QString s = value.toString();
    return allowed.contains(s) ? s : QStringLiteral("auto");
}

} // namespace

QString ModelSettings::modelName() const
{
    if (!name.isEmpty())
        return name;
    const QFileInfo info(path);
    return info.suffix().compare(QLatin1String("gguf"), Qt::CaseInsensitive) == 0 ? info.completeBaseName()
                                                                                  : info.fileName();
}

ModelSettings ModelSettings::load()
{
    const QSettings s;
    ModelSettings m;
    m.path = s.value(QStringLiteral("model/path")).toString();
    m.name = s.value(QStringLiteral("model/name")).toString();
    m.contextLength = qMax(0, s.value(QStringLiteral("model/contextLength"), 0).toInt());
    m.attention = oneOf(s.value(QStringLiteral("model/attention")),
        { QStringLiteral("auto"), QStringLiteral("dense"), QStringLiteral("sparse") });
    m.device = oneOf(s.value(QStringLiteral("model/device")),
        { QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("vulkan") });
    return m;
}

void ModelSettings::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("model/path"), path);
    s.setValue(QStringLiteral("model/name"), name);
    s.setValue(QStringLiteral("model/contextLength"), contextLength);
    s.setValue(QStringLiteral("model/attention"), attention);
    s.setValue(QStringLiteral("model/device"), device);
}

} // namespace quire::ui
