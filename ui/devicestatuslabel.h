#pragma once

#include "ui/deviceinfo.h"
#include "ui/modelsettings.h"

#include <QLabel>

namespace quire::ui
{

// The status bar's compute device and model: "Vulkan · NVIDIA GeForce RTX 4090 · Model: llama3:8b".
// It shows the CPU at once and asks which device a model would run on (DeviceInfo::probe, a Vulkan
// device listing) in a worker 1.5 s after it is first shown, so the probe never delays the window.
// A click opens the model manager (activated()).
class DeviceStatusLabel : public QLabel
{
    Q_OBJECT
public:
    explicit DeviceStatusLabel(QWidget *parent = nullptr);

    const DeviceInfo &device() const { return m_device; }
    // A long reason never widens the window: the text is elided to the width the status bar gives it
    // (text() and the tooltip keep all of it).
    QSize minimumSizeHint() const override;
    bool isProbed() const { return m_probed; }

public Q_SLOTS:
    // Reads the model settings again and probes the device they ask for.
    void refresh();

Q_SIGNALS:
    void probed();
    void activated();

protected:
    void showEvent(QShowEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void showState();

    DeviceInfo m_device;
    ModelSettings m_model;
    quint64 m_sequence = 0;
    bool m_probed = false;
    bool m_started = false;
};

} // namespace quire::ui
