# The flatness summary (bench/README.md) of one `sluice-loadgen put --report-every-mb` report.
# Input: the report. $rss: the server's [unix seconds, VmRSS kB] samples taken by bench/run during
# the load (may be empty). Only full segments count; each is compared with the first, and the
# run is flat when no later segment's MB/s is more than `tolerance_pct` away from the first's.
def mib: . / 1024;
.start_unix_s as $t0
| [.segments[] | select(.full)] as $full
| $full[0].mb_per_s as $first
| [$full[] | . as $s
   # The server's RSS at the segment's last answer (latest sample before it) and its largest
   # sample within the segment (none when the segment is shorter than the sampling period).
   | ([$rss[] | select(.[0] <= $t0 + $s.end_s)] | last) as $at_end
   | ([$rss[] | select(.[0] > $t0 + $s.start_s and .[0] <= $t0 + $s.end_s) | .[1]] | max) as $max
   | {index, mb_per_s, acked_bytes, requests, latency_ms,
      vs_first_pct: ((.mb_per_s / $first - 1) * 100),
      rss_mib_at_end: (if $at_end then $at_end[1] | mib else null end),
      rss_mib_max: (if $max then $max | mib else null end)}] as $rows
| {segment_mb, tolerance_pct: 10, segments: $rows,
   max_deviation_pct: ([$rows[1:][] | .vs_first_pct | fabs] | max),
   rss_mib_first: $rows[0].rss_mib_at_end, rss_mib_last: $rows[-1].rss_mib_at_end}
# Flatness needs at least two full segments to compare.
| .flat = (if .max_deviation_pct == null then null else .max_deviation_pct <= .tolerance_pct end)
