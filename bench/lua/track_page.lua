dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
request = function()
  return wrk.format("GET", "/banyuwangi/lacak/?kode=" .. random_code())
end
