-- The API submission's request, sent to the bare submission (the same work in plain Django, bench/urls.py).
submit_path = "/bench/bare-submission"
dofile(os.getenv("BENCH_LUA_DIR") .. "/submit.lua")
