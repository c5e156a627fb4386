-- The API submission: multipart answers + one PDF, a new Idempotency-Key per request. The PDF is a real one-page
-- document (as pypdf writes it): uploads are parsed, and a PDF without a page is refused (422).
-- (submit_probe.lua sends the same request to the probe without the service call.)
local path = submit_path or "/api/v1/regions/banyuwangi/services/surat-domisili/applications"
local counter = 0
local thread_tag = tostring(math.random(1, 1000000000))
local boundary = "gerai-bench-boundary"
local answers = '{"keperluan": "Melamar pekerjaan", "lama_tinggal": 3, "desa": "35.10.15.2004", "telepon": "081234567890"}'
local pdf = "%PDF-1.3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 595 842 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n0000000000 65535 f \n0000000009 00000 n \n0000000048 00000 n \n0000000107 00000 n \n0000000156 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n250\n%%EOF\n"
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
