-- POST /change: each wrk thread is one actor (token tok-NN) inserting into
-- its own node type TNN, so 16 threads are 16 actors writing disjoint
-- tables. Keys are unique per thread (k<NN>-<n>).
dofile(os.getenv("OG_BENCH_LUA_DIR") .. "/report.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local thread_count = 0
function setup(thread)
  thread:set("actor", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  wrk.headers["Authorization"] = string.format("Bearer tok-%02d", actor)
  sent = 0
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"query_source":"query add($s: String, $v: I64) { insert T%02d { slug: $s, v: $v } }",' ..
    '"params":{"s":"k%02d-%d","v":%d}}', actor, actor, sent, sent)
  return wrk.format(nil, "/change", nil, body)
end
