dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
request = function()
  return wrk.format("GET", "/bench/lookup/" .. random_code())
end
