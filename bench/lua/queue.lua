-- The officer's queue page (with its count), signed in by a session cookie.
wrk.headers["Cookie"] = "sessionid=" .. os.getenv("BENCH_SESSION")
request = function()
  return wrk.format("GET", "/banyuwangi/kantor/")
end
