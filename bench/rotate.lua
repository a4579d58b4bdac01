-- wrk script for bench/load.py: rotates pre-made requests, each with its own signed-in session.
--
-- The requests file has one request per line, tab-separated:
--   METHOD  PATH  COOKIE  CSRF-TOKEN  BODY
-- (COOKIE, CSRF-TOKEN and BODY may be "-"). Each wrk thread takes every n-th line (n = threads),
-- so no two threads share a line. Mode "loop" cycles through them for the whole run; mode "once"
-- sends each line once and stops the thread when its share is used up (for requests that can only
-- happen once, like starting or submitting an attempt).
--
-- Usage: wrk -t2 -c16 -d15s -s bench/rotate.lua URL -- REQUESTS_FILE [loop|once]
-- done() prints one JSON line (prefixed "BENCH_JSON ") with latency percentiles in microseconds,
-- wrk's own error counts and the number of responses that were not 2xx (wrk counts only >= 400;
-- a 302 to the sign-in page must count as an error too).

local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_usec; } bench_timeval;
  int gettimeofday(bench_timeval *tv, void *tz);
]]
local function now_us()
  local tv = ffi.new("bench_timeval")
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000000 + tonumber(tv.tv_usec)
end

local threads = {}
local thread_index = 0

function setup(thread)
  thread:set("id", thread_index)
  thread_index = thread_index + 1
  table.insert(threads, thread)
end

local lines = {}
local position = 0
mode = "loop"  -- global: done() reads it with thread:get
non2xx = 0  -- globals: done() reads them with thread:get
local sent = 0
first_bad = ""

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  local path = args[1]
  mode = args[2] or "loop"
  local all = {}
  for line in io.lines(path) do
    if #line > 0 then
      table.insert(all, line)
    end
  end
  local nthreads = tonumber(args[3] or "1")
  for i, line in ipairs(all) do
    -- A thread whose share would be empty (fewer lines than threads) loops over all of them.
    if (i - 1) % nthreads == id or #all < nthreads then
      local f = split(line)
      local headers = {}
      if f[3] ~= "-" then headers["Cookie"] = f[3] end
      if f[4] ~= "-" then headers["X-CSRFToken"] = f[4] end
      local body = nil
      if f[5] ~= nil and f[5] ~= "-" and f[5] ~= "" then
        body = f[5]
        headers["Content-Type"] = "application/json"
      end
      table.insert(lines, wrk.format(f[1], f[2], headers, body))
    end
  end
  share = #lines
  padding = wrk.format("GET", "/healthz")
end

-- "once" mode: wrk's main thread sleeps for the whole -d even when every thread stopped early, so
-- the run's real span (first request to last answer of this thread's share) is timed here.
first_us = 0
last_us = 0
answered = 0

function request()
  if first_us == 0 then first_us = now_us() end
  position = position + 1
  if position > #lines then
    if mode == "once" then
      -- request() must return something: a health check, never a second copy of a real request.
      wrk.thread:stop()
      position = #lines
      return padding
    end
    position = 1
  end
  sent = sent + 1
  return lines[position]
end

function response(status, headers, body)
  answered = answered + 1
  if answered <= #lines then last_us = now_us() end
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == "" then
      first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, requests)
  local bad = 0
  local sample = ""
  local first, last, real = 0, 0, 0
  for _, thread in ipairs(threads) do
    local f, l = thread:get("first_us"), thread:get("last_us")
    if f > 0 and (first == 0 or f < first) then first = f end
    if l > last then last = l end
    real = real + math.min(thread:get("answered"), thread:get("share"))
    bad = bad + thread:get("non2xx")
    local b = thread:get("first_bad")
    if sample == "" and b ~= nil then sample = b end
  end
  local e = summary.errors
  local requests, duration = summary.requests, summary.duration
  if #threads > 0 and threads[1]:get("mode") == "once" and last > first then
    requests, duration = real, last - first
  end
  sample = sample:gsub("[\"\\%c]", " ")
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, "non2xx": %d, "sample": "%s"}\n',
    requests, duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout, bad, sample))
end
