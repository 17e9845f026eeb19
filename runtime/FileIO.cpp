//===- FileIO.cpp - Whole-file reads and atomic writes
//---------------------===//

#include "Support.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tensorc {

Expected<std::string> readFile(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::error("cannot open '", path, "': ", std::strerror(errno));
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int err = errno;
      ::close(fd);
      return Status::error("cannot read '", path, "': ", std::strerror(err));
    }
    if (n == 0)
      break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return bytes;
}

Status writeFileAtomic(const std::string &path, const std::string &bytes) {
  return writeFileAtomic(path, std::vector<std::string_view>{bytes});
}

Status writeFileAtomic(const std::string &path,
                       const std::vector<std::string_view> &pieces) {
  std::string tmp = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0)
    return Status::error("cannot create a temporary file beside '", path,
                         "': ", std::strerror(errno));
  auto fail = [&](const char *what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::error("cannot ", what, " '", tmp, "' (for '", path,
                         "'): ", std::strerror(err));
  };
  for (std::string_view bytes : pieces) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        return fail("write");
      }
      done += static_cast<size_t>(n);
    }
  }
  // mkstemp creates 0600; give the file the usual permissions.
  mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0)
    return fail("set permissions of");
  if (::fsync(fd) != 0)
    return fail("flush");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::error("cannot close '", tmp, "': ", std::strerror(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::error("cannot rename '", tmp, "' to '", path,
                         "': ", std::strerror(err));
  }
  return Status::success();
}

std::string parentDir(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace tensorc
