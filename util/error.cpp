#include "error.h"

namespace quire
{

const char *errorCodeName(Error::Code code)
{
    switch (code) {
    case Error::Code::Io:
        return "io";
    case Error::Code::Corrupt:
        return "corrupt";
    case Error::Code::Unsupported:
        return "unsupported";
    case Error::Code::InvalidArgument:
        return "invalid_argument";
    case Error::Code::NotFound:
        return "not_found";
    case Error::Code::PasswordRequired:
        return "password_required";
    case Error::Code::Cancelled:
        return "cancelled";
    case Error::Code::TooLarge:
        return "too_large";
    case Error::Code::Timeout:
        return "timeout";
    case Error::Code::TooNew:
        return "too_new";
    case Error::Code::Empty:
        return "empty";
    case Error::Code::Internal:
        return "internal";
    }
    return "internal";
}

} // namespace quire
