-- The mixed load of N regions' peak hour (bench/regions.py, issue #20): each request's kind is drawn by the
-- profile's weights (bench/region_day.py) and its region uniformly among the N, so the work spreads over them.
-- BENCH_MIXED_DATA is a Lua file bench/regions.py writes: `regions`, `kinds`, `pages`, `rate`, `survey_start`.
--
-- Pacing: with rate > 0 the thread keeps an open-loop schedule of Poisson arrivals at `rate` requests a
-- second (wrk 4 has no -R; delay() holds each connection until its slot). A connection that comes back after
-- its slot has passed sends at once; how late that was is counted (`late`), since wrk's latency starts at the
-- send and would hide it. (wrk 4 delays a connection's first request too, so connecting is no burst.)
-- With rate = 0 it is a closed loop (as fast as the connections go).
local dir = os.getenv("BENCH_LUA_DIR")
dofile(dir .. "/pdf.lua")
dofile(os.getenv("BENCH_MIXED_DATA"))

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local boundary = "gerai-bench-boundary"
local pdf_part = "--" .. boundary .. "\r\n" ..
  'Content-Disposition: form-data; name="ktp"; filename="ktp.pdf"\r\n' ..
  "Content-Type: application/pdf\r\n\r\n" .. bench_pdf .. "\r\n" ..
  "--" .. boundary .. "--\r\n"
local csrf = "benchcsrfbenchcsrfbenchcsrfbench" -- 32 characters: a CSRF secret, sent as cookie and field
local survey_body = "csrfmiddlewaretoken=" .. csrf .. "&u1=4&u2=4&u3=3&u4=4&u5=4&u6=3&u7=4&u8=4&u9=4&saran="

-- cumulative weights, so that a draw is one pass over a short list
local function cumulative(list)
  local total, out = 0, {}
  for i, item in ipairs(list) do
    total = total + item.weight
    out[i] = {item = item, upto = total}
  end
  return out, total
end
local kind_table, kind_total = cumulative(kinds)
local page_table, page_total = cumulative(pages)
local function draw(tbl, total)
  local x = math.random() * total
  for _, entry in ipairs(tbl) do
    if x < entry.upto then return entry.item end
  end
  return tbl[#tbl].item
end

local function code(region, serial)
  return string.format("%s-%04d-%04d", region.prefix, math.floor(serial / 10000), serial % 10000)
end

thread_id = 0
thread_count = 1
sent, late, late_max, answered = {}, 0, 0, {}
local counter, next_at = 0, nil
local surveys_sent = 0

local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
  for _, t in ipairs(threads) do t:set("thread_count", #threads) end
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_id * 7919 + (tonumber(os.getenv("BENCH_SEED") or "0")))
end

local builders = {}
builders["submission"] = function(region)
  local answers = '{"keperluan": "Melamar pekerjaan", "lama_tinggal": 3, "desa": "' .. region.desa ..
    '", "telepon": "081234567890"}'
  local body = "--" .. boundary .. "\r\n" ..
    'Content-Disposition: form-data; name="answers"\r\n\r\n' .. answers .. "\r\n" .. pdf_part
  return wrk.format("POST", "/api/v1/regions/" .. region.slug .. "/services/" .. service .. "/applications", {
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
    ["Authorization"] = "Bearer " .. region.token,
    ["Idempotency-Key"] = "mixed-" .. run_tag .. "-" .. thread_id .. "-" .. counter,
  }, body)
end
builders["tracking API"] = function(region)
  return wrk.format("GET", "/api/v1/regions/" .. region.slug .. "/track/" .. code(region, math.random(1, region.rows)))
end
builders["tracking page"] = function(region)
  return wrk.format("GET", "/" .. region.slug .. "/lacak/?kode=" .. code(region, math.random(1, region.rows)))
end
builders["public page"] = function(region)
  return wrk.format("GET", "/" .. region.slug .. "/" .. draw(page_table, page_total).path)
end
builders["officer queue"] = function(region)
  return wrk.format("GET", "/" .. region.slug .. "/kantor/", {["Cookie"] = "sessionid=" .. region.session})
end
builders["complaint"] = function(region)
  local body = '{"category": "' .. region.category .. '", "desa": "' .. region.desa .. '", "title": "Jalan rusak", ' ..
    '"description": "Jalan berlubang di depan sekolah, mohon segera ditangani."}'
  return wrk.format("POST", "/api/v1/regions/" .. region.slug .. "/reports", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. region.token,
    ["Idempotency-Key"] = "mixed-" .. run_tag .. "-" .. thread_id .. "-" .. counter,
  }, body)
end
builders["survey answer"] = function(_region)
  -- each link answers once: the run's n-th survey goes to region n mod N, and takes that region's link
  -- survey_start + n div N (bench/regions.py moves survey_start past every link a run may have used)
  local n = surveys_sent * thread_count + thread_id
  surveys_sent = surveys_sent + 1
  local region = regions[(n % #regions) + 1]
  local token = region.survey_tag .. (survey_start + math.floor(n / #regions))
  return wrk.format("POST", "/" .. region.slug .. "/survei/" .. token .. "/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. csrf,
  }, survey_body)
end
builders["Open311 poll"] = function(region)
  return wrk.format("GET", "/open311/v2/requests.json?jurisdiction_id=" .. region.slug)
end

function build(kind_name, region)
  return builders[kind_name](region)
end

function request()
  counter = counter + 1
  local kind = draw(kind_table, kind_total)
  sent[kind.name] = (sent[kind.name] or 0) + 1
  return build(kind.name, regions[math.random(1, #regions)])
end

function delay()
  if rate <= 0 then return 0 end
  local now = now_ms()
  if next_at == nil then next_at = now end
  next_at = next_at + (-math.log(1 - math.random()) * 1000 * thread_count / rate)
  local wait = next_at - now
  if wait < 0 then
    if -wait > 100 then late = late + 1 end
    if -wait > late_max then late_max = -wait end
    return 0
  end
  return math.floor(wait)
end

function response(status, headers, body)
  answered[status] = (answered[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals, statuses, late_all, late_worst = {}, {}, 0, 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("sent")) do totals[k] = (totals[k] or 0) + v end
    for k, v in pairs(t:get("answered")) do statuses[k] = (statuses[k] or 0) + v end
    late_all = late_all + t:get("late")
    late_worst = math.max(late_worst, t:get("late_max"))
  end
  local parts = {}
  for k, v in pairs(totals) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local codes = {}
  for k, v in pairs(statuses) do table.insert(codes, string.format('"%s": %d', k, v)) end
  io.write(string.format('mixed: {"sent": {%s}, "status": {%s}, "late": %d, "late_max_ms": %.0f, ' ..
    '"p50_ms": %.1f, "p90_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f}\n',
    table.concat(parts, ", "), table.concat(codes, ", "), late_all, late_worst,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
