# The flatness summary (bench/README.md) of one `sluice-loadgen put --report-every-mb` report.
# Input: the report. $samples: bench/run's sample_server lines taken during the load (may be
# empty): [unix seconds, server VmRSS kB, server CPU ticks, load generator CPU ticks, machine busy
# ticks]; $hz: clock ticks per second. Only full segments count; each is compared with the first,
# and the run is flat when no later segment's MB/s is more than `tolerance_pct` away from the
# first's. Two more figures tell a drift from noise: the least-squares line through the segments'
# MB/s, as its change from the first segment to the last (`trend_pct`), and the largest
# deviation of a segment from the segments' median (`spread_pct`).
def mib: . / 1024;
def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
# Of values y_0..y_n-1 (n >= 2): the least-squares line's value at n-1 over its value at 0, in %.
def trend_pct:
  length as $n | (($n - 1) / 2) as $mx | (add / $n) as $my
  | (([to_entries[] | (.key - $mx) * (.value - $my)] | add)
     / ([range($n) | (. - $mx) * (. - $mx)] | add)) as $slope
  | (($my + $slope * ($n - 1 - $mx)) / ($my - $slope * $mx) - 1) * 100;
# The latest sample taken at or before unix time t (null if none).
def sample_at($t): [$samples[] | select(.[0] <= $t)] | last;
# CPU used between samples a and b in % of one core: the server's, the load generator's, and
# everything else on the machine (other processes: what a shared machine takes from the run).
def cpu_pct($a; $b):
  if $a == null or $b == null or $b[0] <= $a[0] then null
  else (($b[0] - $a[0]) * $hz / 100) as $ticks_per_pct
    | {server: (($b[2] - $a[2]) / $ticks_per_pct), loadgen: (($b[3] - $a[3]) / $ticks_per_pct),
       others: ((($b[4] - $a[4]) - ($b[2] - $a[2]) - ($b[3] - $a[3])) / $ticks_per_pct)}
  end;
.start_unix_s as $t0
| [.segments[] | select(.full)] as $full
| $full[0].mb_per_s as $first
| [$full[] | . as $s
   | sample_at($t0 + $s.start_s) as $before
   | sample_at($t0 + $s.end_s) as $at_end
   # The largest RSS sample within the segment (none when it is shorter than the sampling period).
   | ([$samples[] | select(.[0] > $t0 + $s.start_s and .[0] <= $t0 + $s.end_s) | .[1]] | max) as $max
   | {index, mb_per_s, acked_bytes, requests, latency_ms,
      vs_first_pct: ((.mb_per_s / $first - 1) * 100),
      rss_mib_at_end: (if $at_end then $at_end[1] | mib else null end),
      rss_mib_max: (if $max then $max | mib else null end),
      cpu_pct: cpu_pct($before; $at_end)}
   # The server's CPU per GB acknowledged: its cost, which other load on the machine changes
   # less than its rate (a server that slows down as data accumulates spends more per GB).
   | .server_cpu_s_per_gb =
       (if .cpu_pct then .cpu_pct.server / 100 * ($s.end_s - $s.start_s) / (.acked_bytes / 1e9)
        else null end)] as $rows
| {segment_mb, tolerance_pct: 10, segments: $rows,
   max_deviation_pct: ([$rows[1:][] | .vs_first_pct | fabs] | max),
   trend_pct: (if ($rows | length) < 2 then null else [$rows[].mb_per_s] | trend_pct end),
   spread_pct: ([$rows[].mb_per_s] | median as $m | if $m == null then null
                else [$rows[] | (.mb_per_s / $m - 1) * 100 | fabs] | max end),
   rss_mib_first: $rows[0].rss_mib_at_end, rss_mib_last: $rows[-1].rss_mib_at_end}
# Flatness needs at least two full segments to compare.
| .flat = (if .max_deviation_pct == null then null else .max_deviation_pct <= .tolerance_pct end)
