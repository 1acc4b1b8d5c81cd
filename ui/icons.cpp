#include "ui/icons.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSvgRenderer>

// The resources live in a static library: their initialiser must be referenced to be linked in.
static void initQuireResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace quire::ui
{

namespace
{

class TintedSvgEngine final : public QIconEngine
{
public:
    explicit TintedSvgEngine(const QString &path)
        : m_path(path)
    {
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        painter->drawPixmap(rect, render(rect.size(), dpr, mode));
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override { return render(size, 1.0, mode); }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State, qreal scale) override
    {
        return render(size, scale, mode);
    }

    QIconEngine *clone() const override { return new TintedSvgEngine(m_path); }
    QString key() const override { return QStringLiteral("quire-tinted-svg"); }

private:
    QPixmap render(const QSize &size, qreal dpr, QIcon::Mode mode)
    {
        const QPalette palette = QApplication::palette();
        const QColor colour = palette.color(mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active,
            mode == QIcon::Selected ? QPalette::HighlightedText : QPalette::WindowText);
        const QString key
            = QStringLiteral("%1x%2@%3/%4").arg(size.width()).arg(size.height()).arg(dpr).arg(colour.rgba());
        if (auto it = m_cache.constFind(key); it != m_cache.cend())
            return *it;
        QPixmap pixmap(size * dpr);
        pixmap.fill(Qt::transparent);
        QSvgRenderer svg(m_path);
        {
            QPainter p(&pixmap);
            svg.render(&p);
            p.setCompositionMode(QPainter::CompositionMode_SourceIn);
            p.fillRect(pixmap.rect(), colour);
        }
        pixmap.setDevicePixelRatio(dpr);
        if (m_cache.size() > 16)
            m_cache.clear();
        m_cache.insert(key, pixmap);
        return pixmap;
    }

    QString m_path;
    QHash<QString, QPixmap> m_cache;
};

} // namespace

void ensureResources()
{
    static const bool once = (initQuireResources(), true);
    Q_UNUSED(once);
}

QIcon themeIcon(const QString &name)
{
    ensureResources();
    static QHash<QString, QIcon> cache;
    if (auto it = cache.constFind(name); it != cache.cend())
        return *it;
    QIcon icon;
    if (QIcon::hasThemeIcon(name)) {
        icon = QIcon::fromTheme(name);
    } else {
        const QString path = QStringLiteral(":/quire/icons/%1.svg").arg(name);
        if (QFile::exists(path))
            icon = QIcon(new TintedSvgEngine(path));
    }
    cache.insert(name, icon);
    return icon;
}

} // namespace quire::ui
