#include "sinks/s3/credentials.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sluice::sinks::s3 {
namespace {

std::string_view Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

std::optional<std::string> ProcessEnv(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Result<Credentials> ParseCredentialsFile(std::string_view text, std::string_view profile,
                                         std::string_view source) {
  Credentials credentials;
  bool in_profile = false;
  bool found = false;
  std::istringstream lines{std::string(text)};
  for (std::string raw; std::getline(lines, raw);) {
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      in_profile = Trim(line.substr(1, line.size() - 2)) == profile;
      found = found || in_profile;
      continue;
    }
    const size_t equals = line.find('=');
    if (!in_profile || equals == std::string_view::npos) continue;
    const std::string_view name = Trim(line.substr(0, equals));
    const std::string value(Trim(line.substr(equals + 1)));
    if (name == "aws_access_key_id") credentials.access_key_id = value;
    if (name == "aws_secret_access_key") credentials.secret_access_key = value;
    if (name == "aws_session_token") credentials.session_token = value;
  }
  const std::string where = std::string(source) + " profile [" + std::string(profile) + "]";
  if (!found) return Fail(ErrorCode::kNotFound, where + " does not exist");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Fail(ErrorCode::kNotFound,
                where + " must set both aws_access_key_id and aws_secret_access_key");
  }
  return credentials;
}

Result<Credentials> ResolveCredentials(const std::optional<Credentials>& configured,
                                       const EnvLookup& env) {
  if (configured) {
    if (configured->access_key_id.empty() || configured->secret_access_key.empty()) {
      return InvalidArgument("access_key_id and secret_access_key must be given together");
    }
    return *configured;
  }
  const auto key = env("AWS_ACCESS_KEY_ID");
  const auto secret = env("AWS_SECRET_ACCESS_KEY");
  if (key && !key->empty() && secret && !secret->empty()) {
    return Credentials{*key, *secret, env("AWS_SESSION_TOKEN").value_or("")};
  }
  if ((key && !key->empty()) != (secret && !secret->empty())) {
    return InvalidArgument(
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together (only one is set)");
  }
  std::filesystem::path file;
  if (const auto shared = env("AWS_SHARED_CREDENTIALS_FILE"); shared && !shared->empty()) {
    file = *shared;
  } else if (const auto home = env("HOME"); home && !home->empty()) {
    file = std::filesystem::path(*home) / ".aws" / "credentials";
  }
  const std::string profile = env("AWS_PROFILE").value_or("default");
  const std::string looked_at =
      "no S3 credentials: none in the config, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY unset";
  if (file.empty()) return Fail(ErrorCode::kNotFound, looked_at + ", and HOME unset");
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound, looked_at + ", and " + file.string() + " cannot be read");
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseCredentialsFile(text.str(), profile.empty() ? "default" : profile, file.string());
}

}  // namespace sluice::sinks::s3
