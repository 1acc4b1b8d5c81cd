#include "ui/emptystatepage.h"

#include "ui/icons.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace quire::ui
{

EmptyStatePage::EmptyStatePage(
    const QString &iconName, const QString &title, const QString &explanation, QWidget *parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(title, this))
    , m_explanation(new QLabel(explanation, this))
{
    m_icon->setPixmap(themeIcon(iconName).pixmap(QSize(64, 64)));
    m_icon->setAlignment(Qt::AlignCenter);
    m_icon->setEnabled(false);
    QFont font = m_title->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    m_title->setFont(font);
    m_title->setAlignment(Qt::AlignCenter);
    m_explanation->setAlignment(Qt::AlignCenter);
    m_explanation->setWordWrap(true);
    // Between 240 and 480 pixels wide, with the height the narrowest width needs: a centred, wrapped
    // label otherwise gets clipped. A fixed 480 made every tab, and so the window, at least that wide.
    m_explanation->setMinimumWidth(240);
    m_explanation->setMaximumWidth(480);
    m_explanation->setMinimumHeight(m_explanation->heightForWidth(240));
    m_explanation->setTextFormat(Qt::PlainText);
    QPalette muted = m_explanation->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_explanation->setPalette(muted);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(m_icon, 0, Qt::AlignHCenter);
    layout->addSpacing(8);
    layout->addWidget(m_title, 0, Qt::AlignHCenter);
    layout->addWidget(m_explanation, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    setAccessibleName(title);
}

QPushButton *EmptyStatePage::setAction(const QString &text)
{
    if (!m_action) {
        m_action = new QPushButton(this);
        auto *layout = static_cast<QVBoxLayout *>(this->layout());
        layout->insertWidget(layout->count() - 1, m_action, 0, Qt::AlignHCenter);
    }
    m_action->setText(text);
    return m_action;
}

QString EmptyStatePage::title() const
{
    return m_title->text();
}

QString EmptyStatePage::explanation() const
{
    return m_explanation->text();
}

} // namespace quire::ui
