#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace quire::ui
{

// Shown while no library is open: create or open one, or pick a recent one.
class WelcomePage : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);

    void setRecent(const QStringList &paths);
    QListWidget *recentList() const { return m_recent; }

Q_SIGNALS:
    void newLibraryRequested();
    void openLibraryRequested();
    void recentLibraryChosen(const QString &path);

private:
    QListWidget *m_recent;
    QLabel *m_recentTitle = nullptr;
    QPushButton *m_new;
    QPushButton *m_open;
};

} // namespace quire::ui
