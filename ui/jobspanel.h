#pragma once

#include <QHash>
#include <QWidget>

class QLabel;
class QPushButton;
class QProgressBar;
class QVBoxLayout;

namespace quire::ui
{

class Job;
class JobManager;
class JobRow;

// Every long job with its progress bar, ETA and a Cancel button; finished jobs stay listed with their
// outcome until cleared.
class JobsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPanel(JobManager *manager, QWidget *parent = nullptr);

    int rowCount() const { return int(m_rows.size()); }
    JobRow *rowFor(Job *job) const { return m_rows.value(job); }

private:
    void addJob(Job *job);
    void removeJob(Job *job);
    void updateEmptyState();

    JobManager *m_manager;
    QVBoxLayout *m_list;
    QLabel *m_empty;
    QPushButton *m_clear;
    QHash<Job *, JobRow *> m_rows;
};

// One job in the panel.
class JobRow : public QWidget
{
    Q_OBJECT
public:
    explicit JobRow(Job *job, QWidget *parent = nullptr);
    QString statusText() const;
    QPushButton *cancelButton() const { return m_cancel; }

private:
    void refresh();

    Job *m_job;
    QLabel *m_title;
    QLabel *m_status;
    QProgressBar *m_bar;
    QPushButton *m_cancel;
};

} // namespace quire::ui
