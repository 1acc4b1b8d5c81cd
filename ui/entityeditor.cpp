#include "ui/entityeditor.h"

#include "store/analysisstore.h"
#include "ui/deliver.h"
#include "ui/librarysession.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>

namespace quire::ui
{

EntityEditor::EntityEditor(QObject *parent)
    : QObject(parent)
{
}

void EntityEditor::apply(QList<Edit> edits)
{
    if (!m_session || edits.isEmpty())
        return;
    deliver(m_session->run([edits](store::Library &lib) -> Expected<void> {
        store::AnalysisStore analysis(lib);
        for (const Edit &e : edits) {
            if (auto r = analysis.addEdit(e.op, e.key, e.argument); !r)
                return std::unexpected(r.error());
        }
        return analysis.rebuildEntities();
    }),
        this,
        [this](Expected<void> result) {
            if (result)
                Q_EMIT edited();
            else
                Q_EMIT failed(tr("The entities were not changed: %1").arg(errorText(result.error())));
        });
}

void EntityEditor::rename(const QString &key, const QString &name)
{
    if (!key.isEmpty() && !name.trimmed().isEmpty())
        apply({ { QStringLiteral("rename"), key, name.trimmed() } });
}

void EntityEditor::merge(const QStringList &keys, const QString &targetKey)
{
    QList<Edit> edits;
    for (const QString &key : keys) {
        if (key != targetKey && !key.isEmpty())
            edits.append({ QStringLiteral("merge"), key, targetKey });
    }
    if (!targetKey.isEmpty())
        apply(edits);
}

void EntityEditor::remove(const QStringList &keys)
{
    QList<Edit> edits;
    for (const QString &key : keys) {
        if (!key.isEmpty())
            edits.append({ QStringLiteral("delete"), key, QString() });
    }
    apply(edits);
}

void EntityEditor::showMenu(
    QWidget *parent, const QPoint &globalPos, const QString &key, const QString &name, const QStringList &selectedKeys)
{
    QMenu menu(parent);
    connect(menu.addAction(tr("Rename…")), &QAction::triggered, this, [this, parent, key, name] {
        bool ok = false;
        const QString renamed
            = QInputDialog::getText(parent, tr("Rename Entity"), tr("Name:"), QLineEdit::Normal, name, &ok);
        if (ok)
            rename(key, renamed);
    });
    QAction *merge = menu.addAction(tr("Merge Selected into “%1”").arg(name));
    merge->setEnabled(selectedKeys.size() > 1 || (selectedKeys.size() == 1 && selectedKeys.first() != key));
    connect(merge, &QAction::triggered, this, [this, key, selectedKeys] { this->merge(selectedKeys, key); });
    const QStringList doomed = selectedKeys.contains(key) ? selectedKeys : QStringList { key };
    connect(menu.addAction(doomed.size() > 1 ? tr("Delete %n Entities", nullptr, int(doomed.size())) : tr("Delete")),
        &QAction::triggered,
        this,
        [this, doomed] { remove(doomed); });
    menu.exec(globalPos);
}

} // namespace quire::ui
