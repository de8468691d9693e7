-- GET of the URL given to wrk (/healthz), with the shared summary line.
dofile(os.getenv("OG_BENCH_LUA_DIR") .. "/report.lua")
