-- One Open311 service request by id (confidential ones, every 50th, are skipped: they answer 404).
local rows = tonumber(os.getenv("BENCH_ROWS") or "1000000")
math.randomseed(os.time() + 7)
request = function()
  local i = math.random(1, rows)
  if i % 50 == 0 then i = i + 1 end
  if i > rows then i = 1 end
  local code = string.format("BWIP-%04d-%04d", math.floor(i / 10000), i % 10000)
  return wrk.format("GET", "/open311/v2/requests/" .. code .. ".json?jurisdiction_id=banyuwangi")
end
