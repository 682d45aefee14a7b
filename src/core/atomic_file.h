#pragma once
// Durable whole-file replacement: write a dot-prefixed temp file beside the target, fsync it,
// rename it over the target, fsync the directory. A reader sees the old file or the new one,
// never a partial one, and after a crash the file is one or the other.

#include <filesystem>
#include <string_view>

#include "core/result.h"

namespace sluice {

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);

// fsync of a directory, so that a create, rename or unlink inside it survives a crash.
Status SyncDirectory(const std::filesystem::path& dir);

Result<std::string> ReadFile(const std::filesystem::path& path);

}  // namespace sluice
