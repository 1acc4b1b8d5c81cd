#include "ui/jobspanel.h"

#include "ui/icons.h"
#include "ui/job.h"
#include "ui/jobmanager.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace quire::ui
{

JobRow::JobRow(Job *job, QWidget *parent)
    : QWidget(parent)
    , m_job(job)
    , m_title(new QLabel(job->title(), this))
    , m_status(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_cancel(new QPushButton(themeIcon(QStringLiteral("process-stop")), tr("Cancel"), this))
{
    QFont bold = m_title->font();
    bold.setWeight(QFont::DemiBold);
    m_title->setFont(bold);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bar->setAccessibleName(tr("Progress of %1").arg(job->title()));
    m_bar->setTextVisible(true);
    m_cancel->setAccessibleName(tr("Cancel %1").arg(job->title()));
    m_cancel->setToolTip(tr("Stop this job; work already done is kept"));

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(6, 4, 6, 4);
    grid->addWidget(m_title, 0, 0);
    grid->addWidget(m_bar, 1, 0);
    grid->addWidget(m_cancel, 0, 1, 2, 1, Qt::AlignVCenter);
    grid->addWidget(m_status, 2, 0, 1, 2);
    grid->setColumnStretch(0, 1);

    connect(m_cancel, &QPushButton::clicked, job, &Job::cancel);
    connect(job, &Job::changed, this, &JobRow::refresh);
    refresh();
}

QString JobRow::statusText() const
{
    return m_status->text();
}

void JobRow::refresh()
{
    const Job::Snapshot s = m_job->snapshot();
    if (s.total > 0) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(1000.0 * double(qMin(s.done, s.total)) / double(s.total)));
        m_bar->setFormat(tr("%1 of %2").arg(s.done).arg(s.total));
    } else {
        m_bar->setRange(0, m_job->isRunning() ? 0 : 1); // busy indicator while the size is unknown
        m_bar->setValue(m_job->isRunning() ? 0 : 1);
        m_bar->setFormat(QString());
    }
    QStringList parts;
    switch (m_job->state()) {
    case Job::State::Running:
        if (!s.phase.isEmpty())
            parts << s.phase;
        if (!s.item.isEmpty())
            parts << s.item;
        if (auto eta = m_job->etaSeconds())
            parts << tr("about %1 left").arg(formatDuration(*eta));
        if (m_job->cancelToken().isCancelled())
            parts = { tr("Cancelling…") };
        break;
    case Job::State::Finished:
        parts << tr("Finished in %1").arg(formatDuration(m_job->elapsedMs() / 1000));
        break;
    case Job::State::Cancelled:
        parts << tr("Cancelled");
        break;
    case Job::State::Failed:
        parts << tr("Failed: %1").arg(m_job->resultMessage());
        break;
    }
    if (!s.lastMessage.isEmpty() && m_job->state() != Job::State::Failed)
        parts << s.lastMessage;
    m_status->setText(parts.join(QStringLiteral(" · ")));
    m_cancel->setEnabled(m_job->isRunning() && !m_job->cancelToken().isCancelled());
    m_cancel->setVisible(m_job->isRunning());
}

JobsPanel::JobsPanel(JobManager *manager, QWidget *parent)
    : QWidget(parent)
    , m_manager(manager)
    , m_list(new QVBoxLayout)
    , m_empty(new QLabel(tr("No jobs. Adding documents, running analyses and asking questions show their progress "
                            "here."),
          this))
    , m_clear(new QPushButton(themeIcon(QStringLiteral("edit-clear")), tr("Clear Finished"), this))
{
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false);
    m_empty->setAlignment(Qt::AlignCenter);
    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(m_list);
    contentLayout->addWidget(m_empty);
    contentLayout->addStretch(1);
    m_list->setSpacing(2);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_clear->setAccessibleName(tr("Clear finished jobs"));
    connect(m_clear, &QPushButton::clicked, m_manager, &JobManager::clearFinished);

    auto *bottom = new QHBoxLayout;
    bottom->addStretch(1);
    bottom->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 1);
    layout->addLayout(bottom);

    connect(m_manager, &JobManager::jobAdded, this, &JobsPanel::addJob);
    connect(m_manager, &JobManager::jobRemoved, this, &JobsPanel::removeJob);
    connect(m_manager, &JobManager::jobFinished, this, &JobsPanel::updateEmptyState);
    for (Job *job : m_manager->jobs())
        addJob(job);
    updateEmptyState();
}

void JobsPanel::addJob(Job *job)
{
    auto *row = new JobRow(job, this);
    m_rows.insert(job, row);
    m_list->insertWidget(0, row);
    updateEmptyState();
}

void JobsPanel::removeJob(Job *job)
{
    if (JobRow *row = m_rows.take(job))
        row->deleteLater();
    updateEmptyState();
}

void JobsPanel::updateEmptyState()
{
    m_empty->setVisible(m_rows.isEmpty());
    m_clear->setEnabled(m_manager->jobs().size() > m_manager->runningCount());
}

} // namespace quire::ui
