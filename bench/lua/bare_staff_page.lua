-- The bare staff page: a signed-in session, the queue's two indexed queries and a minimal template.
wrk.headers["Cookie"] = "sessionid=" .. os.getenv("BENCH_SESSION")
request = function()
  return wrk.format("GET", "/bench/bare-staff-page")
end
