-- The API submission: multipart answers + one PDF, a new Idempotency-Key per request. The PDF is a real one-page
-- document (as pypdf writes it): uploads are parsed, and a PDF without a page is refused (422).
-- (submit_probe.lua sends the same request to the probe without the service call.)
local path = submit_path or "/api/v1/regions/banyuwangi/services/surat-domisili/applications"
local counter = 0
local thread_tag = tostring(math.random(1, 1000000000))
local boundary = "gerai-bench-boundary"
local answers = '{"keperluan": "Melamar pekerjaan", "lama_tinggal": 3, "desa": "35.10.15.2004", "telepon": "081234567890"}'
dofile(os.getenv("BENCH_LUA_DIR") .. "/pdf.lua")
local pdf = bench_pdf
local body = "--" .. boundary .. "\r\n" ..
  'Content-Disposition: form-data; name="answers"\r\n\r\n' .. answers .. "\r\n" ..
  "--" .. boundary .. "\r\n" ..
  'Content-Disposition: form-data; name="ktp"; filename="ktp.pdf"\r\n' ..
  "Content-Type: application/pdf\r\n\r\n" .. pdf .. "\r\n" ..
  "--" .. boundary .. "--\r\n"
setup = function(thread)
  thread:set("thread_tag", tostring(math.random(1, 1000000000)))
end
request = function()
  counter = counter + 1
  local headers = {}
  headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
  headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  headers["Idempotency-Key"] = thread_tag .. "-" .. os.time() .. "-" .. counter
  return wrk.format("POST", path, headers, body)
end
