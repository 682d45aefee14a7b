#include "config/time_zone.h"

#include <chrono>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

// ZoneFile literals name only the members a test sets; g++ 12 warns about the others even in
// designated initializers.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace sluice::config {
namespace {

namespace chrono = std::chrono;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr int64_t kHourMs = 3600 * 1000;

int64_t UtcMs(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
  const chrono::sys_days date = chrono::year(year) / chrono::month(month) / chrono::day(day);
  return chrono::duration_cast<chrono::milliseconds>(date.time_since_epoch()).count() +
         (int64_t{hour} * 60 + minute) * 60 * 1000;
}

TimeZone MustLoad(std::string_view name, const fs::path& dir = kSystemZoneinfoDir) {
  auto zone = TimeZone::Load(name, dir);
  EXPECT_TRUE(zone.has_value()) << zone.error().message;
  return zone.value_or(TimeZone::Utc());
}

// ---- a TZif writer, to test the reader independently of the system's data ---------------------

struct ZoneFile {
  char version = '2';
  std::vector<int64_t> transitions;
  std::vector<uint8_t> type_indexes;  // one per transition
  std::vector<int32_t> type_utoffs;
  uint32_t leapcnt = 0;
  std::string footer;  // without the enclosing newlines
};

void PutBigEndian(uint64_t value, int bytes, std::string& out) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

void PutBlock(const ZoneFile& zone, int time_size, std::string& out) {
  out += "TZif";
  out += zone.version;
  out.append(15, '\0');
  const uint32_t typecnt = static_cast<uint32_t>(zone.type_utoffs.size());
  for (uint32_t count : {typecnt, typecnt, zone.leapcnt,
                         static_cast<uint32_t>(zone.transitions.size()), typecnt, 4u}) {
    PutBigEndian(count, 4, out);
  }
  for (int64_t t : zone.transitions) PutBigEndian(static_cast<uint64_t>(t), time_size, out);
  for (uint8_t index : zone.type_indexes) out += static_cast<char>(index);
  for (int32_t utoff : zone.type_utoffs) {
    PutBigEndian(static_cast<uint32_t>(utoff), 4, out);
    out += '\0';  // isdst
    out += '\0';  // abbreviation index
  }
  out.append("ABC\0", 4);
  out.append(size_t{zone.leapcnt} * (time_size + 4), '\0');  // leap-second records
  out.append(2 * typecnt, '\0');  // standard/wall and UT/local indicators
}

std::string Serialize(const ZoneFile& zone) {
  std::string out;
  PutBlock(zone, 4, out);
  if (zone.version == '\0') return out;
  PutBlock(zone, 8, out);
  out += '\n' + zone.footer + '\n';
  return out;
}

class ZoneDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice_tz_" + std::to_string(std::random_device{}()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "Test");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }
  Result<TimeZone> LoadBytes(const std::string& bytes) {
    Write("Test/Zone", bytes);
    return TimeZone::Load("Test/Zone", dir_);
  }
  TimeZone MustLoadFooter(const std::string& footer) {
    auto zone = LoadBytes(Serialize({.type_utoffs = {0}, .footer = footer}));
    EXPECT_TRUE(zone.has_value()) << footer << ": " << zone.error().message;
    return zone.value_or(TimeZone::Utc());
  }
  void ExpectCorrupt(const std::string& bytes, const std::string& message) {
    auto zone = LoadBytes(bytes);
    ASSERT_FALSE(zone.has_value());
    EXPECT_EQ(zone.error().code, ErrorCode::kCorruption);
    EXPECT_THAT(zone.error().message, HasSubstr((dir_ / "Test/Zone").string() + " " + message));
  }

  fs::path dir_;
};

// ---- system zones (package tzdata) -------------------------------------------------------------

TEST(TimeZoneTest, NewYorkStandardAndDaylightTime) {
  const TimeZone zone = MustLoad("America/New_York");
  EXPECT_EQ(zone.name(), "America/New_York");
  EXPECT_EQ(zone.OffsetMs(UtcMs(2026, 1, 15, 12)), -5 * kHourMs);
  EXPECT_EQ(zone.OffsetMs(UtcMs(2026, 7, 15, 12)), -4 * kHourMs);
  // 2026-03-08 02:00 EST and 2026-11-01 02:00 EDT.
  EXPECT_EQ(zone.OffsetMs(UtcMs(2026, 3, 8, 7) - 1), -5 * kHourMs);
  EXPECT_EQ(zone.OffsetMs(UtcMs(2026, 3, 8, 7)), -4 * kHourMs);
  EXPECT_EQ(zone.OffsetMs(UtcMs(2026, 11, 1, 6) - 1), -4 * kHourMs);
  EXPECT_EQ(zone.OffsetMs(UtcMs(2026, 11, 1, 6)), -5 * kHourMs);
}

TEST(TimeZoneTest, OtherZones) {
  EXPECT_EQ(MustLoad("Asia/Tokyo").OffsetMs(UtcMs(2026, 1, 15, 12)), 9 * kHourMs);
  EXPECT_EQ(MustLoad("Asia/Tokyo").OffsetMs(UtcMs(2026, 7, 15, 12)), 9 * kHourMs);
  EXPECT_EQ(MustLoad("Europe/London").OffsetMs(UtcMs(2026, 1, 15, 12)), 0);
  EXPECT_EQ(MustLoad("Europe/London").OffsetMs(UtcMs(2026, 7, 15, 12)), kHourMs);
  EXPECT_EQ(MustLoad("Australia/Sydney").OffsetMs(UtcMs(2026, 1, 15, 12)), 11 * kHourMs);
  EXPECT_EQ(MustLoad("Australia/Sydney").OffsetMs(UtcMs(2026, 7, 15, 12)), 10 * kHourMs);
  EXPECT_EQ(MustLoad("Asia/Kolkata").OffsetMs(UtcMs(2026, 7, 15, 12)), 5 * kHourMs + 30 * 60000);
}

TEST(TimeZoneTest, FarFutureUsesTheFooterRule) {
  const TimeZone new_york = MustLoad("America/New_York");
  EXPECT_EQ(new_york.OffsetMs(UtcMs(2100, 1, 15, 12)), -5 * kHourMs);
  EXPECT_EQ(new_york.OffsetMs(UtcMs(2100, 3, 14, 7) - 1), -5 * kHourMs);
  EXPECT_EQ(new_york.OffsetMs(UtcMs(2100, 3, 14, 7)), -4 * kHourMs);
  EXPECT_EQ(new_york.OffsetMs(UtcMs(2100, 11, 7, 6) - 1), -4 * kHourMs);
  EXPECT_EQ(new_york.OffsetMs(UtcMs(2100, 11, 7, 6)), -5 * kHourMs);
  const TimeZone sydney = MustLoad("Australia/Sydney");
  EXPECT_EQ(sydney.OffsetMs(UtcMs(2100, 1, 15, 12)), 11 * kHourMs);
  EXPECT_EQ(sydney.OffsetMs(UtcMs(2100, 4, 3, 16) - 1), 11 * kHourMs);
  EXPECT_EQ(sydney.OffsetMs(UtcMs(2100, 4, 3, 16)), 10 * kHourMs);
  EXPECT_EQ(sydney.OffsetMs(UtcMs(2100, 10, 2, 16) - 1), 10 * kHourMs);
  EXPECT_EQ(sydney.OffsetMs(UtcMs(2100, 10, 2, 16)), 11 * kHourMs);
  EXPECT_EQ(MustLoad("Europe/London").OffsetMs(UtcMs(2100, 7, 1)), kHourMs);
  EXPECT_EQ(MustLoad("Asia/Tokyo").OffsetMs(UtcMs(2100, 7, 1)), 9 * kHourMs);
}

TEST(TimeZoneTest, BeforeTheFirstTransitionIsLocalMeanTime) {
  // New York's local mean time until 1883 was UTC-4:56:02.
  EXPECT_EQ(MustLoad("America/New_York").OffsetMs(UtcMs(1800, 1, 1)),
            -(4 * 3600 + 56 * 60 + 2) * 1000);
}

TEST(TimeZoneTest, Utc) {
  for (const TimeZone& zone : {TimeZone::Utc(), MustLoad(""), MustLoad("UTC"),
                               MustLoad("Etc/UTC")}) {
    EXPECT_EQ(zone.OffsetMs(UtcMs(2026, 7, 15, 12)), 0);
    EXPECT_EQ(zone.OffsetMs(UtcMs(2100, 7, 15, 12)), 0);
  }
  EXPECT_EQ(TimeZone::Utc().name(), "UTC");
  EXPECT_EQ(MustLoad("").name(), "UTC");
}

TEST(TimeZoneTest, CopiesShareTheZone) {
  const TimeZone zone = MustLoad("Asia/Tokyo");
  const TimeZone copy = zone;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.name(), "Asia/Tokyo");
  EXPECT_EQ(&copy.name(), &zone.name());
}

TEST(TimeZoneTest, RejectsBadNames) {
  struct Case {
    std::string name;
    std::string message;
  };
  const Case cases[] = {
      {"Asia/Tokyo1", "time zone name \"Asia/Tokyo1\" must match [a-zA-Z/_]+"},
      {"../etc/passwd", "time zone name \"../etc/passwd\" must match [a-zA-Z/_]+"},
      {"Etc/GMT+5", "time zone name \"Etc/GMT+5\" must match [a-zA-Z/_]+"},
      {"/etc/passwd", "time zone name \"/etc/passwd\" must not start with '/'"},
      {"Asia//Tokyo", "time zone name \"Asia//Tokyo\" must not have an empty component"},
      {"Asia/", "time zone name \"Asia/\" must not have an empty component"},
      {std::string(51, 'A'), "is longer than 50 characters"},
  };
  for (const Case& c : cases) {
    auto zone = TimeZone::Load(c.name);
    ASSERT_FALSE(zone.has_value()) << c.name;
    EXPECT_EQ(zone.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_THAT(zone.error().message, HasSubstr(c.message));
  }
}

TEST(TimeZoneTest, RejectsUnknownZonesAndDirectories) {
  auto unknown = TimeZone::Load("Asia/Tokio");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().message, "/usr/share/zoneinfo/Asia/Tokio does not exist");
  auto directory = TimeZone::Load("America");
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(directory.error().message,
              HasSubstr("/usr/share/zoneinfo/America is not a regular file"));
}

// ---- hand-built files --------------------------------------------------------------------------

TEST_F(ZoneDirTest, ReadsTransitionsOfAVersion2File) {
  auto zone = LoadBytes(Serialize({.transitions = {-1000, 0, 5000},
                                   .type_indexes = {1, 2, 1},
                                   .type_utoffs = {100, 3600, 7200},
                                   .footer = ""}));
  ASSERT_TRUE(zone.has_value()) << zone.error().message;
  EXPECT_EQ(zone->name(), "Test/Zone");
  EXPECT_EQ(zone->OffsetMs(-1000 * 1000 - 1), 100 * 1000);  // type 0 before the first
  EXPECT_EQ(zone->OffsetMs(-1000 * 1000), 3600 * 1000);
  EXPECT_EQ(zone->OffsetMs(-1), 3600 * 1000);  // floor, not truncation, of negative instants
  EXPECT_EQ(zone->OffsetMs(0), 7200 * 1000);
  EXPECT_EQ(zone->OffsetMs(4999999), 7200 * 1000);
  EXPECT_EQ(zone->OffsetMs(5000 * 1000), 3600 * 1000);
  EXPECT_EQ(zone->OffsetMs(UtcMs(2500, 1, 1)), 3600 * 1000);  // no footer: the last type stays
}

TEST_F(ZoneDirTest, UsesThe64BitBlockOfVersion2Files) {
  // A transition beyond 2038 exists only in the 64-bit block, so the v1 block must be skipped.
  const int64_t t = UtcMs(2100, 1, 1) / 1000;
  ZoneFile file{.transitions = {t}, .type_indexes = {1}, .type_utoffs = {0, 3600}};
  std::string bytes;
  PutBlock({.version = '2', .type_utoffs = {-7200}}, 4, bytes);  // a v1 block that disagrees
  PutBlock(file, 8, bytes);
  bytes += "\n\n";
  auto zone = LoadBytes(bytes);
  ASSERT_TRUE(zone.has_value()) << zone.error().message;
  EXPECT_EQ(zone->OffsetMs(t * 1000 - 1), 0);
  EXPECT_EQ(zone->OffsetMs(t * 1000), 3600 * 1000);
}

TEST_F(ZoneDirTest, ReadsVersion1Files) {
  auto zone = LoadBytes(Serialize({.version = '\0',
                                   .transitions = {1000},
                                   .type_indexes = {1},
                                   .type_utoffs = {0, -3600}}));
  ASSERT_TRUE(zone.has_value()) << zone.error().message;
  EXPECT_EQ(zone->OffsetMs(999999), 0);
  EXPECT_EQ(zone->OffsetMs(1000000), -3600 * 1000);
}

TEST_F(ZoneDirTest, FooterAppliesAfterTheLastTransition) {
  auto zone = LoadBytes(Serialize({.transitions = {1000},
                                   .type_indexes = {1},
                                   .type_utoffs = {0, 9 * 3600},
                                   .footer = "JST-9"}));
  ASSERT_TRUE(zone.has_value()) << zone.error().message;
  EXPECT_EQ(zone->OffsetMs(0), 0);
  EXPECT_EQ(zone->OffsetMs(UtcMs(2200, 6, 1)), 9 * kHourMs);
}

TEST_F(ZoneDirTest, FooterForms) {
  EXPECT_EQ(MustLoadFooter("JST-9").OffsetMs(UtcMs(2030, 1, 1)), 9 * kHourMs);
  EXPECT_EQ(MustLoadFooter("<+0330>-3:30").OffsetMs(UtcMs(2030, 1, 1)), 7 * kHourMs / 2);
  EXPECT_EQ(MustLoadFooter("<-03>3").OffsetMs(UtcMs(2030, 1, 1)), -3 * kHourMs);
  EXPECT_EQ(MustLoadFooter("XXX+1:02:03").OffsetMs(0), -(3600 + 120 + 3) * 1000);

  const TimeZone berlin = MustLoadFooter("CET-1CEST,M3.5.0,M10.5.0/3");
  EXPECT_EQ(berlin.OffsetMs(UtcMs(2100, 3, 28, 1) - 1), kHourMs);
  EXPECT_EQ(berlin.OffsetMs(UtcMs(2100, 3, 28, 1)), 2 * kHourMs);
  EXPECT_EQ(berlin.OffsetMs(UtcMs(2100, 10, 31, 1) - 1), 2 * kHourMs);
  EXPECT_EQ(berlin.OffsetMs(UtcMs(2100, 10, 31, 1)), kHourMs);

  // An explicit DST offset, and the Jn and zero-based n day forms with default 02:00 times.
  // J60 is March 1 even in a leap year; day 59 is February 29 in 2028 (zero-based).
  const TimeZone julian = MustLoadFooter("AAA5BBB3,J60,300");
  EXPECT_EQ(julian.OffsetMs(UtcMs(2028, 3, 1, 7) - 1), -5 * kHourMs);
  EXPECT_EQ(julian.OffsetMs(UtcMs(2028, 3, 1, 7)), -3 * kHourMs);
  // Day 300 of 2028 (a leap year) is October 27; 02:00 at UTC-3 is 05:00Z.
  EXPECT_EQ(julian.OffsetMs(UtcMs(2028, 10, 27, 5) - 1), -3 * kHourMs);
  EXPECT_EQ(julian.OffsetMs(UtcMs(2028, 10, 27, 5)), -5 * kHourMs);

  // Permanent daylight time, as zic writes it: from January 1 00:00 to December 31 25:00.
  const TimeZone always = MustLoadFooter("EST5EDT,0/0,J365/25");
  for (unsigned month = 1; month <= 12; ++month) {
    EXPECT_EQ(always.OffsetMs(UtcMs(2031, month, 1)), -4 * kHourMs) << month;
  }
  // Version 3 rule times beyond 24 hours and negative ones.
  const TimeZone extended = MustLoadFooter("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  // Last Sunday of March 2030 is the 31st; -1:00 local standard time is March 30 23:00 -02.
  EXPECT_EQ(extended.OffsetMs(UtcMs(2030, 3, 31, 1) - 1), -2 * kHourMs);
  EXPECT_EQ(extended.OffsetMs(UtcMs(2030, 3, 31, 1)), -1 * kHourMs);
}

// The footer evaluator agrees, hour by hour, with the transition tables tzdata lists for the
// years its rules have been unchanged.
TEST_F(ZoneDirTest, FooterMatchesSystemTransitionTables) {
  struct Case {
    std::string zone;
    std::string footer;
    int first_year;
  };
  const Case cases[] = {{"America/New_York", "EST5EDT,M3.2.0,M11.1.0", 2008},
                        {"Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3", 1997},
                        {"Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3", 2009}};
  for (const Case& c : cases) {
    const TimeZone table = MustLoad(c.zone);
    const TimeZone rule = MustLoadFooter(c.footer);
    int mismatches = 0;
    for (int64_t t = UtcMs(c.first_year, 1, 1); t < UtcMs(2037, 1, 1); t += kHourMs) {
      if (table.OffsetMs(t) != rule.OffsetMs(t) && ++mismatches <= 3) {
        ADD_FAILURE() << c.zone << " at " << t << ": table " << table.OffsetMs(t) << ", rule "
                      << rule.OffsetMs(t);
      }
    }
    EXPECT_EQ(mismatches, 0) << c.zone;
  }
}

TEST_F(ZoneDirTest, RejectsFilesThatAreNotTzif) {
  ExpectCorrupt("", "is not a TZif file: it does not start with the magic \"TZif\"");
  ExpectCorrupt("# not a zone\n", "is not a TZif file: it does not start with the magic");
  std::string bad_version = Serialize({.type_utoffs = {0}});
  bad_version[4] = '1';
  ExpectCorrupt(bad_version, "has TZif version byte 49; RFC 8536 defines 0");
  std::string bad_second_magic = Serialize({.type_utoffs = {0}});
  bad_second_magic[56] = 'X';  // the v1 block is 44 + 12 bytes
  ExpectCorrupt(bad_second_magic,
                "is not a valid TZif file: the second header at offset 56 does not start with "
                "\"TZif\"");
}

TEST_F(ZoneDirTest, RejectsTruncatedFiles) {
  const std::string whole = Serialize({.transitions = {1, 2},
                                       .type_indexes = {0, 0},
                                       .type_utoffs = {0},
                                       .footer = "UTC0"});
  ExpectCorrupt(whole.substr(0, 20),
                "is truncated: the header needs 44 bytes at offset 0 but the file has 20 bytes");
  ExpectCorrupt(whole.substr(0, 50), "is truncated: the v1 data block needs 22 bytes at offset 44");
  ExpectCorrupt(whole.substr(0, 80), "is truncated: the second header needs 44 bytes at offset 66");
  ExpectCorrupt(whole.substr(0, 120), "is truncated: the 64-bit data block needs 30 bytes at offset 110");
  ExpectCorrupt(whole.substr(0, whole.size() - 1),
                "is truncated: the TZ string footer at offset 140 is not enclosed in newlines");
  ExpectCorrupt(Serialize({.version = '\0', .transitions = {1}, .type_indexes = {0},
                           .type_utoffs = {0}})
                    .substr(0, 48),
                "is truncated: the v1 data block needs");
}

TEST_F(ZoneDirTest, RejectsInconsistentData) {
  ExpectCorrupt(Serialize({}), "has no local time types (typecnt is 0)");
  ExpectCorrupt(Serialize({.transitions = {5, 5}, .type_indexes = {0, 0}, .type_utoffs = {0}}),
                "has transition times out of order: transition 1 is not later than transition 0");
  ExpectCorrupt(Serialize({.transitions = {5}, .type_indexes = {3}, .type_utoffs = {0, 1}}),
                "has transition 0 to local time type 3 but only 2 types");
  ExpectCorrupt(Serialize({.type_utoffs = {INT32_MIN}}),
                "has local time type 0 with UT offset -2^31, which RFC 8536 forbids");
  ExpectCorrupt(Serialize({.type_utoffs = {0}, .leapcnt = 1}),
                "has leap-second records, which Sluice does not support");
  std::string isutcnt = Serialize({.type_utoffs = {0}});
  isutcnt[23] = 7;  // low byte of the v1 isutcnt
  ExpectCorrupt(isutcnt, "has isutcnt 7; it must be 0 or typecnt 1");
  std::string isstdcnt = Serialize({.type_utoffs = {0}});
  isstdcnt[27] = 2;  // low byte of the v1 isstdcnt
  ExpectCorrupt(isstdcnt, "has isstdcnt 2; it must be 0 or typecnt 1");
}

TEST_F(ZoneDirTest, RejectsUnreadableFooters) {
  struct Case {
    std::string footer;
    std::string reason;
  };
  const Case cases[] = {
      {"J", "the standard time name must be 3+ letters or <quoted>"},
      {"<+1>-1", "the standard time name must be 3+ letters or <quoted>"},
      {"ABC", "the standard time offset must be [+-]hh[:mm[:ss]], hh <= 24"},
      {"ABC25", "the standard time offset must be [+-]hh[:mm[:ss]], hh <= 24"},
      {"ABC1:60", "the standard time offset must be"},
      {"ABC1D", "the daylight time name must be 3+ letters or <quoted>"},
      {"ABC1DEF", "a daylight time zone without a ,start,end rule is not supported"},
      {"ABC1DEF+", "the daylight time offset must be"},
      {"ABC1DEF,M3.2.0", "the rule must be ,start[/time],end[/time]"},
      {"ABC1DEF,M13.2.0,M11.1.0", "the rule must be"},
      {"ABC1DEF,M3.6.0,M11.1.0", "the rule must be"},
      {"ABC1DEF,M3.2.7,M11.1.0", "the rule must be"},
      {"ABC1DEF,J0,J100", "the rule must be"},
      {"ABC1DEF,366,J100", "the rule must be"},
      {"ABC1DEF,M3.2.0/168,M11.1.0", "the rule must be"},
      {"ABC1DEF,M3.2.0,M11.1.0x", "the rule must be"},
  };
  for (const Case& c : cases) {
    ExpectCorrupt(Serialize({.type_utoffs = {0}, .footer = c.footer}),
                  "has a TZ string footer \"" + c.footer + "\" that Sluice cannot read: " +
                      c.reason);
  }
}

TEST_F(ZoneDirTest, RejectsOversizedFiles) {
  Write("Test/Zone", std::string((1 << 20) + 1, 'x'));
  auto zone = TimeZone::Load("Test/Zone", dir_);
  ASSERT_FALSE(zone.has_value());
  EXPECT_THAT(zone.error().message, HasSubstr("is larger than 1048576 bytes"));
}

}  // namespace
}  // namespace sluice::config
