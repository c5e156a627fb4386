-- The API submission's request, sent to the probe that does everything but the service call.
submit_path = "/bench/probe/regions/banyuwangi/services/surat-domisili/applications"
dofile(os.getenv("BENCH_LUA_DIR") .. "/submit.lua")
