-- A signed-in staff page with nothing on it: session, user, staff roles and the layout.
wrk.headers["Cookie"] = "sessionid=" .. os.getenv("BENCH_SESSION")
request = function()
  return wrk.format("GET", "/bench/probe/banyuwangi/staff-page")
end
