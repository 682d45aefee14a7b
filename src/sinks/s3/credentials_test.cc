#include "sinks/s3/credentials.h"

#include <filesystem>
#include <fstream>
#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::sinks::s3 {
namespace {

using ::testing::HasSubstr;

EnvLookup Env(std::map<std::string, std::string, std::less<>> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

constexpr std::string_view kFile = R"(# comment
[default]
aws_access_key_id = DEFKEY
aws_secret_access_key=DEFSECRET

[ other ]
aws_access_key_id=OTHERKEY
aws_secret_access_key = OTHERSECRET
aws_session_token = OTHERTOKEN
[broken]
aws_access_key_id=ONLYKEY
)";

TEST(CredentialsTest, ConfiguredWins) {
  auto credentials = ResolveCredentials(Credentials{"K", "S", ""},
                                        Env({{"AWS_ACCESS_KEY_ID", "E"}, {"AWS_SECRET_ACCESS_KEY", "E"}}));
  ASSERT_TRUE(credentials.has_value());
  EXPECT_EQ(credentials->access_key_id, "K");
  auto half = ResolveCredentials(Credentials{"K", "", ""}, Env({}));
  ASSERT_FALSE(half.has_value());
  EXPECT_THAT(half.error().message, HasSubstr("must be given together"));
}

TEST(CredentialsTest, EnvironmentThenFile) {
  auto env = ResolveCredentials(std::nullopt, Env({{"AWS_ACCESS_KEY_ID", "EK"},
                                                   {"AWS_SECRET_ACCESS_KEY", "ES"},
                                                   {"AWS_SESSION_TOKEN", "ET"}}));
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(env->access_key_id, "EK");
  EXPECT_EQ(env->secret_access_key, "ES");
  EXPECT_EQ(env->session_token, "ET");

  auto half = ResolveCredentials(std::nullopt, Env({{"AWS_ACCESS_KEY_ID", "EK"}}));
  ASSERT_FALSE(half.has_value());
  EXPECT_THAT(half.error().message, HasSubstr("only one is set"));

  const std::filesystem::path home = std::filesystem::path(testing::TempDir()) / "s3-cred-home";
  std::filesystem::create_directories(home / ".aws");
  std::ofstream(home / ".aws" / "credentials") << kFile;
  auto file = ResolveCredentials(std::nullopt, Env({{"HOME", home.string()}}));
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_EQ(file->access_key_id, "DEFKEY");
  EXPECT_EQ(file->secret_access_key, "DEFSECRET");
  EXPECT_EQ(file->session_token, "");

  auto profile =
      ResolveCredentials(std::nullopt, Env({{"HOME", home.string()}, {"AWS_PROFILE", "other"}}));
  ASSERT_TRUE(profile.has_value()) << profile.error().message;
  EXPECT_EQ(profile->access_key_id, "OTHERKEY");
  EXPECT_EQ(profile->session_token, "OTHERTOKEN");

  auto missing = ResolveCredentials(std::nullopt, Env({{"HOME", (home / "none").string()}}));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message, HasSubstr("cannot be read"));
  std::filesystem::remove_all(home);

  auto no_home = ResolveCredentials(std::nullopt, Env({}));
  ASSERT_FALSE(no_home.has_value());
  EXPECT_THAT(no_home.error().message, HasSubstr("HOME unset"));
}

TEST(CredentialsTest, FileErrorsNameProfile) {
  auto absent = ParseCredentialsFile(kFile, "nope", "creds");
  ASSERT_FALSE(absent.has_value());
  EXPECT_EQ(absent.error().message, "creds profile [nope] does not exist");
  auto broken = ParseCredentialsFile(kFile, "broken", "creds");
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().message,
            "creds profile [broken] must set both aws_access_key_id and aws_secret_access_key");
}

}  // namespace
}  // namespace sluice::sinks::s3
