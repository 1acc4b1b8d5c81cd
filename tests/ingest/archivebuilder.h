#pragma once

// Builds archives in memory with libarchive's writer, for the reader tests.

#include <QByteArray>
#include <QString>
#include <archive.h>
#include <archive_entry.h>
#include <memory>
#include <vector>

namespace quire::ingest::test
{

struct Entry {
    QString path;
    QByteArray data;
    QString symlink; // when set, a symbolic link to this target
};

enum class Format { Zip, ZipStored, ZipEncrypted, Tar, TarGz, TarXz, SevenZip, Gzip };

inline QByteArray buildArchive(Format format, const std::vector<Entry> &entries)
{
    struct Free {
        void operator()(archive *a) const { archive_write_free(a); }
    };
    std::unique_ptr<archive, Free> a(archive_write_new());
    switch (format) {
    case Format::Zip:
        archive_write_set_format_zip(a.get());
        break;
    case Format::ZipStored:
        archive_write_set_format_zip(a.get());
        archive_write_set_format_option(a.get(), "zip", "compression", "store");
        break;
    case Format::ZipEncrypted:
        archive_write_set_format_zip(a.get());
        archive_write_set_format_option(a.get(), "zip", "encryption", "zipcrypt");
        archive_write_set_passphrase(a.get(), "secret");
        break;
    case Format::Tar:
        archive_write_set_format_pax_restricted(a.get());
        break;
    case Format::TarGz:
        archive_write_set_format_pax_restricted(a.get());
        archive_write_add_filter_gzip(a.get());
        break;
    case Format::TarXz:
        archive_write_set_format_pax_restricted(a.get());
        archive_write_add_filter_xz(a.get());
        break;
    case Format::SevenZip:
        archive_write_set_format_7zip(a.get());
        break;
    case Format::Gzip:
        archive_write_set_format_raw(a.get());
        archive_write_add_filter_gzip(a.get());
        break;
    }
    size_t capacity = 64 << 20;
    for (const Entry &e : entries)
        capacity += size_t(e.data.size());
    QByteArray buffer(qsizetype(capacity), '\0');
    size_t used = 0;
    archive_write_open_memory(a.get(), buffer.data(), capacity, &used);
    for (const Entry &e : entries) {
        std::unique_ptr<archive_entry, void (*)(archive_entry *)> entry(archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname(entry.get(), e.path.toUtf8().constData());
        if (!e.symlink.isEmpty()) {
            archive_entry_set_filetype(entry.get(), AE_IFLNK);
            archive_entry_set_symlink(entry.get(), e.symlink.toUtf8().constData());
            archive_entry_set_perm(entry.get(), 0777);
            archive_entry_set_size(entry.get(), 0);
            archive_write_header(a.get(), entry.get());
            continue;
        }
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), e.data.size());
        archive_write_header(a.get(), entry.get());
        archive_write_data(a.get(), e.data.constData(), size_t(e.data.size()));
    }
    archive_write_close(a.get());
    buffer.truncate(qsizetype(used));
    return buffer;
}

} // namespace quire::ingest::test
