#include "ui/askpanel.h"

#include "ui/askrunner.h"
#include "ui/icons.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace quire::ui
{

using analysis::AskResult;
using analysis::Passage;

namespace
{

const QString kCiteScheme = QStringLiteral("cite");

QString link(int number, const QString &text)
{
    return QStringLiteral("<a href=\"cite:%1\">%2</a>").arg(number).arg(text.toHtmlEscaped());
}

QString where(const Passage &p)
{
    return p.page > 1 ? QObject::tr("%1, p. %2").arg(p.title).arg(p.page) : p.title;
}

// The passage's text, escaped, with the question's words in bold.
QString markedHtml(const Passage &p)
{
    QString out;
    int at = 0;
    for (const auto &[offset, length] : p.highlights) {
        out += p.text.mid(at, offset - at).toHtmlEscaped();
        out += QStringLiteral("<b>") + p.text.mid(offset, length).toHtmlEscaped() + QStringLiteral("</b>");
        at = offset + length;
    }
    return out + p.text.mid(at).toHtmlEscaped();
}

// The model's answer with each citation a link; paragraphs kept.
QString answerHtml(const AskResult &r)
{
    QString out;
    int at = 0;
    for (const analysis::Citation &c : r.citations) {
        if (c.start < at)
            continue;
        out += r.answer.mid(at, c.start - at).toHtmlEscaped();
        out += link(c.number, r.answer.mid(c.start, c.length));
        at = c.start + c.length;
    }
    out += r.answer.mid(at).toHtmlEscaped();
    out.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    if (r.cancelled)
        out += QStringLiteral("<p><i>%1</i></p>").arg(QObject::tr("(stopped)"));
    return out;
}

// Without a model the passages are the answer.
QString passagesHtml(const AskResult &r)
{
    QString out;
    for (std::size_t i = 0; i < r.retrieval.passages.size(); ++i) {
        const Passage &p = r.retrieval.passages[i];
        out += QStringLiteral("<p>%1 <i>%2</i><br>%3</p>")
                   .arg(link(int(i) + 1, QStringLiteral("[%1]").arg(i + 1)), where(p).toHtmlEscaped(), markedHtml(p));
    }
    return out;
}

} // namespace

AskPanel::AskPanel(JobManager *jobs, QWidget *parent)
    : QWidget(parent)
    , m_runner(new AskRunner(jobs, this))
{
    buildUi();
    connectWidgets();
    connect(m_runner, &AskRunner::textArrived, this, [this](const QString &piece) {
        m_streamed += piece;
        m_answer->setPlainText(m_streamed);
        m_answer->moveCursor(QTextCursor::End);
    });
    connect(m_runner, &AskRunner::finished, this, &AskPanel::finish);
    reloadSettings();
    updateButtons();
}

AskPanel::~AskPanel() = default;

void AskPanel::buildUi()
{
    m_question = new QLineEdit(this);
    m_question->setPlaceholderText(tr("Ask a question about the whole library…"));
    m_question->setClearButtonEnabled(true);
    m_question->setAccessibleName(tr("Question"));
    m_ask = new QPushButton(themeIcon(QStringLiteral("dialog-messages")), tr("Ask"), this);
    m_ask->setDefault(true);
    m_stop = new QPushButton(themeIcon(QStringLiteral("process-stop")), tr("Stop"), this);
    auto *row = new QHBoxLayout;
    row->addWidget(m_question, 1);
    row->addWidget(m_ask);
    row->addWidget(m_stop);

    m_banner = new QWidget(this);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    auto *configure = new QPushButton(tr("Configure a model…"), m_banner);
    auto *bannerRow = new QHBoxLayout(m_banner);
    bannerRow->setContentsMargins(0, 0, 0, 0);
    bannerRow->addWidget(m_bannerText, 1);
    bannerRow->addWidget(configure);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_answer = new QTextBrowser(this);
    m_answer->setOpenLinks(false);
    m_answer->setAccessibleName(tr("Answer"));
    m_answer->setPlaceholderText(tr("Ask about people, places, events or anything the documents say. The answer "
                                    "appears here, with citations [n] that open the reader at the passage."));
    m_passages = new QListWidget(this);
    m_passages->setAccessibleName(tr("Passages"));
    m_passages->setWordWrap(true);
    m_history = new QListWidget(this);
    m_history->setAccessibleName(tr("Questions asked in this session"));

    auto *results = new QSplitter(Qt::Vertical, this);
    results->addWidget(m_answer);
    results->addWidget(m_passages);
    results->setStretchFactor(0, 3);
    results->setStretchFactor(1, 2);
    auto *history = new QWidget(this);
    auto *historyLayout = new QVBoxLayout(history);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(new QLabel(tr("Earlier questions"), history));
    historyLayout->addWidget(m_history);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(results);
    split->addWidget(history);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_banner);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
    connect(configure, &QPushButton::clicked, this, &AskPanel::configureModelRequested);
}

void AskPanel::connectWidgets()
{
    connect(m_ask, &QPushButton::clicked, this, &AskPanel::askCurrent);
    connect(m_question, &QLineEdit::returnPressed, this, &AskPanel::askCurrent);
    connect(m_question, &QLineEdit::textChanged, this, &AskPanel::updateButtons);
    connect(m_stop, &QPushButton::clicked, this, &AskPanel::stop);
    connect(m_answer, &QTextBrowser::anchorClicked, this, &AskPanel::openLink);
    connect(m_passages, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        activateCitation(item->data(Qt::UserRole).toInt());
    });
    connect(m_history, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && !isRunning())
            showEntry(int(m_entries.size()) - 1 - row);
    });
}

void AskPanel::setSession(std::shared_ptr<LibrarySession> session)
{
    m_session = session;
    m_runner->setSession(std::move(session));
    m_entries.clear();
    m_history->clear();
    m_shown = -1;
    m_answer->clear();
    m_passages->clear();
    m_status->clear();
    updateButtons();
}

void AskPanel::setModelSettings(std::optional<analysis::AskModelSettings> settings)
{
    m_override = std::move(settings);
    reloadSettings();
}

analysis::AskModelSettings AskPanel::modelSettings() const
{
    return m_override ? *m_override : AskRunner::savedSettings(nullptr);
}

void AskPanel::reloadSettings()
{
    QString problem;
    const analysis::AskModelSettings s = m_override ? *m_override : AskRunner::savedSettings(&problem);
    QString text;
    if (!problem.isEmpty())
        text = tr("The model settings are not usable (%1): the passages that match best are shown.").arg(problem);
    else if (s.path.isEmpty())
        text = tr("No model configured: the passages that match best are the answer. With a local GGUF model, "
                  "Quire writes an answer that cites them.");
    else if (!QFileInfo::exists(s.path))
        text = tr("The model %1 is missing: the passages that match best are shown.").arg(s.path);
    m_bannerText->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

bool AskPanel::isRunning() const
{
    return m_runner->isRunning();
}

const AskResult *AskPanel::currentResult() const
{
    return m_shown >= 0 && m_shown < int(m_entries.size()) ? &m_entries[std::size_t(m_shown)].result : nullptr;
}

void AskPanel::askCurrent()
{
    ask(m_question->text());
}

void AskPanel::ask(const QString &question)
{
    const QString q = question.trimmed();
    if (q.isEmpty() || !m_session || isRunning())
        return;
    if (m_question->text().trimmed() != q)
        m_question->setText(q);
    reloadSettings();
    analysis::AskModelSettings settings = modelSettings();
    if (!settings.path.isEmpty() && !QFileInfo::exists(settings.path))
        settings.path.clear();
    m_streamed.clear();
    m_answer->clear();
    m_passages->clear();
    m_status->setText(
        settings.path.isEmpty() ? tr("Searching…") : tr("Answering with %1…").arg(QFileInfo(settings.path).fileName()));
    Q_EMIT answerStarted(q);
    m_runner->start(q, settings, {});
    updateButtons();
}

void AskPanel::stop()
{
    m_runner->cancel();
}

void AskPanel::finish(const AskResult &result, const QString &error)
{
    m_entries.push_back({ result, error });
    auto *item = new QListWidgetItem(result.question);
    item->setToolTip(result.question);
    m_history->blockSignals(true);
    m_history->insertItem(0, item);
    m_history->setCurrentRow(0);
    m_history->blockSignals(false);
    showEntry(int(m_entries.size()) - 1);
    updateButtons();
    Q_EMIT answerFinished(error.isEmpty());
}

void AskPanel::showEntry(int index)
{
    if (index < 0 || index >= int(m_entries.size()))
        return;
    m_shown = index;
    const Entry &e = m_entries[std::size_t(index)];
    const AskResult &r = e.result;
    m_answer->setHtml(r.modelUsed ? answerHtml(r) : passagesHtml(r));
    showPassages(r);
    QString status;
    if (r.retrieval.terms.isEmpty() && !e.error.isEmpty())
        status = e.error;
    else if (r.retrieval.passages.empty())
        status = tr("Nothing in the library matches %1.").arg(r.retrieval.terms.join(QStringLiteral(", ")));
    else
        status = tr("%n passage(s) from %1 matching sentences (%2 ms).", nullptr, int(r.retrieval.passages.size()))
                     .arg(r.retrieval.matches)
                     .arg(r.retrieval.elapsedMs);
    if (r.modelUsed)
        status += QLatin1Char(' ')
            + (r.cancelled ? tr("Stopped after %n token(s).", nullptr, r.stats.generatedTokens)
                           : tr("Answered by %1 (%n token(s)).", nullptr, r.stats.generatedTokens).arg(r.model));
    if (!e.error.isEmpty() && !r.retrieval.terms.isEmpty() && !r.cancelled)
        status += QLatin1Char(' ') + e.error;
    if (!r.problem.isEmpty())
        status += QLatin1Char(' ') + tr("The model did not answer: %1.").arg(r.problem);
    m_status->setText(status);
}

void AskPanel::showPassages(const AskResult &r)
{
    m_passages->clear();
    for (std::size_t i = 0; i < r.retrieval.passages.size(); ++i) {
        const Passage &p = r.retrieval.passages[i];
        const QString text = p.text.simplified();
        auto *item
            = new QListWidgetItem(QStringLiteral("[%1] %2 — %3")
                                      .arg(i + 1)
                                      .arg(where(p), text.size() > 240 ? text.left(239) + QStringLiteral("…") : text),
                m_passages);
        item->setData(Qt::UserRole, int(i) + 1);
        item->setToolTip(QStringLiteral("<p>%1</p>").arg(markedHtml(p)));
    }
}

void AskPanel::activateCitation(int number)
{
    const AskResult *r = currentResult();
    if (!r || number < 1 || number > int(r->retrieval.passages.size()))
        return;
    const Passage &p = r->retrieval.passages[std::size_t(number - 1)];
    // The word to mark in the reader: the first of the question's words in the cited sentence, else in the
    // passage, else the question's first word.
    const auto cited = std::find_if(
        p.sentences.cbegin(), p.sentences.cend(), [&](const auto &s) { return s.id == p.citedSentenceId; });
    const auto inCited = std::find_if(p.highlights.cbegin(), p.highlights.cend(), [&](const auto &h) {
        return cited != p.sentences.cend() && h.first >= cited->offset
            && h.first < cited->offset + (cited->end - cited->start);
    });
    QString surface = r->retrieval.terms.value(0);
    if (inCited != p.highlights.cend())
        surface = p.text.mid(inCited->first, inCited->second);
    else if (!p.highlights.empty())
        surface = p.text.mid(p.highlights.front().first, p.highlights.front().second);
    Q_EMIT citationActivated(p.documentId, p.citedSentenceId, surface);
}

void AskPanel::openLink(const QUrl &url)
{
    if (url.scheme() == kCiteScheme)
        activateCitation(url.path().toInt());
}

void AskPanel::updateButtons()
{
    const bool running = isRunning();
    m_ask->setEnabled(!running && m_session && !m_question->text().trimmed().isEmpty());
    m_stop->setEnabled(running);
    m_question->setReadOnly(running);
}

} // namespace quire::ui
