-- Shared by the benchmark scripts: a random existing tracking code among the ROWS synthetic ones.
local rows = tonumber(os.getenv("BENCH_ROWS") or "1000000")
math.randomseed(os.time() + (tonumber(os.getenv("BENCH_SEED") or "0")))
function random_code()
  local i = math.random(1, rows)
  return string.format("BWI-%04d-%04d", math.floor(i / 10000), i % 10000)
end
