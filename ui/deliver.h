#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <utility>

namespace quire::ui
{

// Hands the result of `future` to `handler` on `receiver`'s thread, always through the event loop:
// never synchronously inside the caller, even when the work has already finished (QFuture::then with a
// context runs the continuation at once in that case, which would reorder our signals). Nothing is
// delivered once `receiver` is gone.
template <typename T, typename Handler> void deliver(QFuture<T> future, QObject *receiver, Handler handler)
{
    auto *watcher = new QFutureWatcher<T>(receiver);
    QObject::connect(
        watcher, &QFutureWatcherBase::finished, receiver, [watcher, handler = std::move(handler)]() mutable {
            watcher->deleteLater();
            handler(watcher->future().result());
        });
    watcher->setFuture(std::move(future));
}

} // namespace quire::ui
