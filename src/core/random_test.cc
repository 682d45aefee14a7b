#include "core/random.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace sluice {
namespace {

TEST(RandomTest, UuidIsVersion4TextForm) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = RandomUuid();
    EXPECT_TRUE(std::regex_match(id, uuid)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomTest, AlnumHasRequestedLengthAndAlphabet) {
  const std::string s = RandomAlnum(11);
  EXPECT_EQ(s.size(), 11u);
  EXPECT_EQ(s.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz"), std::string::npos);
}

}  // namespace
}  // namespace sluice
