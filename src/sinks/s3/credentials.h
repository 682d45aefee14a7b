#pragma once
// Where S3 credentials come from when the config does not give them, in the AWS CLI's order.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "sinks/s3/sigv4.h"

namespace sluice::sinks::s3 {

// Returns the value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;
std::optional<std::string> ProcessEnv(std::string_view name);

// 1. `configured` when given (both keys non-empty);
// 2. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN) from `env`;
// 3. the profile AWS_PROFILE (default "default") of the shared credentials file
//    AWS_SHARED_CREDENTIALS_FILE (default $HOME/.aws/credentials): aws_access_key_id,
//    aws_secret_access_key, aws_session_token.
// kNotFound when none applies, naming every place looked at; kInvalidArgument for half a pair.
Result<Credentials> ResolveCredentials(const std::optional<Credentials>& configured,
                                       const EnvLookup& env = ProcessEnv);

// Parses the INI text of a shared credentials file; kNotFound if `profile` is absent or lacks
// a key. `source` names the file in messages.
Result<Credentials> ParseCredentialsFile(std::string_view text, std::string_view profile,
                                         std::string_view source);

}  // namespace sluice::sinks::s3
