-- wrk script: posts the signed events prepared by generate-events.py, each thread its own slice,
-- at a steady pace: each connection waits DELAY_MS between requests (connections x 1000 / DELAY_MS a second).
-- wrk -t2 -c5 -d60s --latency -s post-webhooks.lua http://127.0.0.1:5230 -- events.tsv 25
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  file = args[1]
  delay_ms = tonumber(args[2] or "25")
  lines = {}
  local i = 0
  for line in io.lines(file) do
    if i % 2 == id then table.insert(lines, line) end
    i = i + 1
  end
  next_line = 1
  statuses = {}
end

function delay()
  return delay_ms
end

function request()
  local line = lines[next_line]
  next_line = next_line % #lines + 1
  local tab = string.find(line, "\t", 1, true)
  local headers = { ["Content-Type"] = "application/json", ["Stripe-Signature"] = string.sub(line, tab + 1) }
  return wrk.format("POST", "/api/webhooks/stripe", headers, string.sub(line, 1, tab - 1))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, non-2xx/3xx %d, socket errors %d\n", summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for _, p in pairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%g %.1f ms\n", p, latency:percentile(p) / 1000))
  end
end
