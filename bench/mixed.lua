-- The mixed load (bench/mixed.py): wrk asks for many distinct views with Zipf popularity while
-- signed-in members toggle "Useful", and counts results-cache hits from the app's
-- Server-Timing header.
--
--   wrk --threads N --connections N -s bench/mixed.lua http://127.0.0.1:PORT -- config.lua
--
-- config.lua (written by bench/mixed.py) sets: views ({path, htmx} pairs, most popular first),
-- view_cumulative (their cumulative Zipf probabilities), studies and study_cumulative (the
-- studies to toggle, likewise), members ({cookie, token} pairs), write_mode ("none", "rate" or
-- "share") and write_value (toggles a second, or their share of requests).
--
-- Each thread has exactly one connection, so its requests and responses alternate: response()
-- always answers the request() before it, which lets the script time each request and tell
-- reads from writes. Reads' latencies go into a histogram of 0.1 ms buckets; done() adds up
-- every thread's counters and prints them as "mixed <name> <value>" lines.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } mixed_timespec;
int clock_gettime(int clock_id, mixed_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("mixed_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
  table.insert(threads, thread)
end

-- The index of the first cumulative probability at or above a uniform random number.
local function pick(cumulative)
  local wanted = math.random()
  local low, high = 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < wanted then
      low = middle + 1
    else
      high = middle
    end
  end
  return low
end

local function url_encode(value)
  return (value:gsub("[^%w%-%._~]", function(character)
    return string.format("%%%02X", string.byte(character))
  end))
end

local read_requests = {}
local next_write_ms = nil
local pending = nil

function init(args)
  dofile(args[1])
  math.randomseed(thread_number * 7919 + os.time())
  for index, view in ipairs(views) do
    local headers = {}
    if view[2] then
      headers["HX-Request"] = "true"
      headers["HX-Target"] = "results"
      headers["HX-Current-URL"] = "http://" .. wrk.host .. ":" .. wrk.port .. "/"
    end
    read_requests[index] = wrk.format("GET", view[1], headers)
  end
  -- Counters, read by done() through thread:get.
  reads, read_errors, writes, write_errors, unanswered = 0, 0, 0, 0, 0
  hits, misses = 0, 0
  histogram = {}
  -- Toggles at a rate come from the first thread alone, so the rate is exact.
  if write_mode == "rate" and thread_number == 1 then
    next_write_ms = now_ms() + 1000 / write_value
  end
end

local function write_request()
  local member = members[math.random(#members)]
  local study = studies[pick(study_cumulative)]
  return wrk.format("POST", "/studies/" .. study .. "/useful", {
    ["Cookie"] = member[1],
    ["X-CSRFToken"] = member[2],
    ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "csrf_token=" .. url_encode(member[2]))
end

local function wants_write()
  if write_mode == "share" then
    return math.random() < write_value
  end
  if next_write_ms ~= nil and now_ms() >= next_write_ms then
    next_write_ms = next_write_ms + 1000 / write_value
    return true
  end
  return false
end

local calls = 0

function request()
  calls = calls + 1
  if thread_number == 1 and calls == 1 then
    -- wrk calls the first thread's request() once before the run, to check what it returns;
    -- that request is never sent, so it must not wait for an answer.
    return read_requests[1]
  end
  if pending ~= nil then
    unanswered = unanswered + 1 -- the connection failed before its answer
  end
  local kind, body
  if wants_write() then
    kind, body = "write", write_request()
  else
    kind, body = "read", read_requests[pick(view_cumulative)]
  end
  pending = { kind = kind, started = now_ms() }
  return body
end

function response(status, headers, body)
  if pending == nil then
    return
  end
  local elapsed = now_ms() - pending.started
  local kind = pending.kind
  pending = nil
  if kind == "write" then
    if status == 200 then
      writes = writes + 1
    else
      write_errors = write_errors + 1
    end
    return
  end
  if status ~= 200 then
    read_errors = read_errors + 1
    return
  end
  reads = reads + 1
  local bucket = math.floor(elapsed * 10)
  histogram[bucket] = (histogram[bucket] or 0) + 1
  for name, value in pairs(headers) do
    if string.lower(name) == "server-timing" then
      local said = string.match(string.lower(value), 'results%-cache;%s*desc="?(%a+)')
      if said == "hit" then
        hits = hits + 1
      elseif said == "miss" then
        misses = misses + 1
      end
    end
  end
end

function done(summary, latency, requests)
  local totals = {
    reads = 0, read_errors = 0, writes = 0, write_errors = 0, unanswered = 0, hits = 0,
    misses = 0,
  }
  local merged = {}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
    for bucket, count in pairs(thread:get("histogram") or {}) do
      merged[bucket] = (merged[bucket] or 0) + count
    end
  end
  io.write(string.format("mixed duration_us %d\n", summary.duration))
  for name, value in pairs(totals) do
    io.write(string.format("mixed %s %d\n", name, value))
  end
  for bucket, count in pairs(merged) do
    io.write(string.format("mixed bucket %d %d\n", bucket, count))
  end
end
