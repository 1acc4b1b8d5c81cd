#pragma once

#include <expected>
#include <string>
#include <utility>

namespace quire
{

// The error type that crosses module boundaries: a code a caller can act on and a message a person can read.
struct Error {
    enum class Code {
        Io, // a file could not be read or written
        Corrupt, // the input is damaged or not what it claims to be
        Unsupported, // a type, version or feature we do not handle
        InvalidArgument, // the caller asked for something impossible
        NotFound, // a file, document, model or row that does not exist
        PasswordRequired, // an encrypted document needs a (different) password
        Cancelled, // the user stopped the job
        TooLarge, // over a size, ratio or memory limit
        Timeout, // took longer than allowed
        TooNew, // written by a newer version of Quire
        Empty, // the input holds nothing to work on
        Internal, // a bug or an unexpected library failure
    };

    Code code = Code::Internal;
    std::string message;

    static Error make(Code code, std::string message) { return Error { code, std::move(message) }; }
};

template <typename T> using Expected = std::expected<T, Error>;

inline std::unexpected<Error> fail(Error::Code code, std::string message)
{
    return std::unexpected(Error { code, std::move(message) });
}

// A stable, lower-case name for a code ("password_required"): used in JSON output and stored statuses.
const char *errorCodeName(Error::Code code);

} // namespace quire
