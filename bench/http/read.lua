-- POST /read: a point lookup of one random Person by its key (slug "p<n>"),
-- authenticated as a reader. Env: OG_BENCH_PERSONS, OG_BENCH_TOKEN.
dofile(os.getenv("OG_BENCH_LUA_DIR") .. "/report.lua")

local persons = tonumber(os.getenv("OG_BENCH_PERSONS") or "900000")
local query = "query q($s: String) { match { $p: Person { slug: $s } } return { $p.name, $p.age } }"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("OG_BENCH_TOKEN")

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("seed", thread_count)
end

function init(args)
  math.randomseed(seed * 7919)
end

function request()
  local body = string.format('{"query_source":"%s","params":{"s":"p%d"}}', query,
                             math.random(0, persons - 1))
  return wrk.format(nil, "/read", nil, body)
end
