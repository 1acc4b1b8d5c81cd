#include "ui/devicestatuslabel.h"

#include "ui/deliver.h"

#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace quire::ui
{

namespace
{
constexpr int ProbeDelayMs = 1500;
} // namespace

DeviceStatusLabel::DeviceStatusLabel(QWidget *parent)
    : QLabel(parent)
    , m_device(DeviceInfo::detect())
    , m_model(ModelSettings::load())
{
    setAccessibleName(tr("Compute device"));
    setCursor(Qt::PointingHandCursor);
    showState();
}

void DeviceStatusLabel::refresh()
{
    m_started = true;
    m_model = ModelSettings::load();
    const quint64 sequence = ++m_sequence;
    showState();
    deliver(QtConcurrent::run([device = m_model.device] { return DeviceInfo::probe(device); }),
        this,
        [this, sequence](DeviceInfo info) {
            if (sequence != m_sequence)
                return;
            m_device = std::move(info);
            m_probed = true;
            showState();
            Q_EMIT probed();
        });
}

void DeviceStatusLabel::showEvent(QShowEvent *event)
{
    QLabel::showEvent(event);
    // Listing Vulkan devices costs a CPU core for 0.1-0.3 s (lavapipe): on a small machine that would slow
    // the library's first load, so the probe waits until the window has most likely become usable.
    if (!m_started) {
        m_started = true;
        QTimer::singleShot(ProbeDelayMs, this, [this] {
            if (!m_probed && m_sequence == 0)
                refresh();
        });
    }
}

void DeviceStatusLabel::mouseReleaseEvent(QMouseEvent *event)
{
    QLabel::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
        Q_EMIT activated();
}

void DeviceStatusLabel::showState()
{
    QString text = m_device.text();
    QString tip
        = m_probed ? m_device.toolTip() : m_device.toolTip() + QLatin1Char('\n') + tr("Looking for a Vulkan device…");
    if (m_model.hasModel()) {
        text += tr(" · Model: %1").arg(m_model.modelName());
        tip += QLatin1Char('\n') + tr("Model: %1").arg(m_model.path);
    } else {
        tip += QLatin1Char('\n') + tr("No model chosen: click to choose one (Settings ▸ Models…).");
    }
    setText(text);
    setToolTip(text + QLatin1Char('\n') + tip);
}

QSize DeviceStatusLabel::minimumSizeHint() const
{
    return { fontMetrics().horizontalAdvance(QStringLiteral("CPU · AVX2…")), QLabel::minimumSizeHint().height() };
}

void DeviceStatusLabel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect area = contentsRect().adjusted(margin(), margin(), -margin(), -margin());
    painter.setPen(palette().color(foregroundRole()));
    painter.drawText(area, int(alignment()), fontMetrics().elidedText(text(), Qt::ElideRight, area.width()));
}

} // namespace quire::ui
