#include "graphlayout.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <memory>
#include <mutex>

namespace quire::analysis
{

namespace
{

struct ContextDeleter {
    void operator()(GVC_t *c) const { gvFreeContext(c); }
};
struct GraphDeleter {
    void operator()(Agraph_t *g) const { agclose(g); }
};

// Graphviz keeps global state (agerr handlers, plugin lists): one rendering at a time.
std::mutex &graphvizMutex()
{
    static std::mutex m;
    return m;
}

} // namespace

Expected<QString> renderSvg(const QString &dot, const QString &engine)
{
    std::lock_guard lock(graphvizMutex());
    std::unique_ptr<GVC_t, ContextDeleter> context(gvContext());
    if (!context)
        return fail(Error::Code::Internal, "Graphviz could not start");
    const QByteArray source = dot.toUtf8();
    std::unique_ptr<Agraph_t, GraphDeleter> graph(agmemread(source.constData()));
    if (!graph)
        return fail(Error::Code::Corrupt, "Graphviz could not read the graph");
    const QByteArray layout = engine.toLatin1();
    if (gvLayout(context.get(), graph.get(), layout.constData()) != 0)
        return fail(Error::Code::Unsupported,
            "Graphviz has no '" + engine.toStdString() + "' layout here (is the graphviz package installed?)");
    char *data = nullptr;
    unsigned int length = 0;
    const int rendered = gvRenderData(context.get(), graph.get(), "svg", &data, &length);
    QString svg;
    if (rendered == 0 && data)
        svg = QString::fromUtf8(data, qsizetype(length));
    if (data)
        gvFreeRenderData(data);
    gvFreeLayout(context.get(), graph.get());
    if (svg.isEmpty())
        return fail(Error::Code::Unsupported, "Graphviz could not render SVG (is the graphviz package installed?)");
    return svg;
}

} // namespace quire::analysis
