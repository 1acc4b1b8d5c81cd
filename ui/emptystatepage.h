#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace quire::ui
{

// A page that says plainly what is not there yet and what would fill it ("Run an analysis…"), with an
// optional action button. Used for summaries, the entity graph, the timeline and the ask panel until
// their back ends are available.
class EmptyStatePage : public QWidget
{
    Q_OBJECT
public:
    EmptyStatePage(
        const QString &iconName, const QString &title, const QString &explanation, QWidget *parent = nullptr);

    // Adds a button under the text; returns it so the caller can connect and enable it.
    QPushButton *setAction(const QString &text);
    QString title() const;
    QString explanation() const;

private:
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_explanation;
    QPushButton *m_action = nullptr;
};

} // namespace quire::ui
