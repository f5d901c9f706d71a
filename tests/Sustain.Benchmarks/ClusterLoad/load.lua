-- wrk script for run.sh, started twice at the same time through nginx:
--   wrk -t2 -c32 -d60s --latency -s load.lua http://127.0.0.1:PORT -- reads
--   wrk -t2 -c4  -d60s --latency -s load.lua http://127.0.0.1:PORT -- uploads TOKEN DIR
-- "reads" alternates the two public leaderboard pages; "uploads" posts a CycloneDX SBOM of 150
-- components through the REST API, each with its own metadata version (so no two bodies are the
-- same and none is answered as a repeat), to four products per thread, and appends the id of each
-- upload answered 201 to DIR/ids-THREAD. done() prints, one per line, what run.sh checks: the
-- statuses, the instances that answered, socket errors, requests still in flight when wrk stopped
-- (their answers are never read), rate and latency.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local function sbom_parts()
  local components, dependencies = {}, {}
  local count = 150
  for i = 1, count do
    local purl = string.format("pkg:npm/load-package-%d@1.%d.0", i, i % 7)
    components[i] = string.format(
      '{"type":"library","bom-ref":"%s","name":"load-package-%d","version":"1.%d.0","purl":"%s","externalReferences":[{"type":"vcs","url":"https://github.com/load-owner-%d/load-package-%d"}]}',
      purl, i, i % 7, purl, i % 40, i)
    local children = {}
    for child = i * 3 - 1, i * 3 + 1 do
      if child <= count then
        table.insert(children, string.format('"pkg:npm/load-package-%d@1.%d.0"', child, child % 7))
      end
    end
    dependencies[i] = string.format('{"ref":"%s","dependsOn":[%s]}', purl, table.concat(children, ","))
  end
  table.insert(dependencies, '{"ref":"load-service","dependsOn":["pkg:npm/load-package-1@1.1.0"]}')
  local prefix = '{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"application","bom-ref":"load-service","name":"load-service","version":"'
  local suffix = '"}},"components":[' .. table.concat(components, ",") .. '],"dependencies":[' .. table.concat(dependencies, ",") .. "]}"
  return prefix, suffix
end

function init(args)
  mode = args[1]
  token = args[2]
  sent = 0
  statuses = {}
  upstreams = {}
  if mode == "uploads" then
    body_prefix, body_suffix = sbom_parts()
    ids = io.open(string.format("%s/ids-%d", args[3], id), "w")
  end
end

function request()
  sent = sent + 1
  if mode == "uploads" then
    local path = string.format("/api/v1/orgs/load-test/products/service-%d-%d/sboms", id, sent % 4)
    local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
    return wrk.format("POST", path, headers, body_prefix .. string.format("%d.%d", id, sent) .. body_suffix)
  end
  return wrk.format("GET", sent % 2 == 0 and "/leaderboards/companies" or "/leaderboards/projects")
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local upstream = headers["X-Upstream"] or "none"
  upstreams[upstream] = (upstreams[upstream] or 0) + 1
  if ids and status == 201 then
    ids:write(string.match(body, '"id":"([0-9a-f-]+)"') or "no id", "\n")
    ids:flush()
  end
end

local function add(into, from)
  for key, value in pairs(from) do
    into[key] = (into[key] or 0) + value
  end
end

function done(summary, latency, requests)
  local all_statuses, all_upstreams, all_sent = {}, {}, 0
  for _, thread in ipairs(threads) do
    add(all_statuses, thread:get("statuses"))
    add(all_upstreams, thread:get("upstreams"))
    all_sent = all_sent + thread:get("sent")
  end
  local errors = summary.errors
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("in_flight %d\n", all_sent - summary.requests))
  io.write(string.format("rate %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("socket_errors %d\n", errors.connect + errors.read + errors.write + errors.timeout))
  io.write(string.format("status_errors %d\n", errors.status))
  for status, count in pairs(all_statuses) do
    io.write(string.format("status %d %d\n", status, count))
  end
  for upstream, count in pairs(all_upstreams) do
    io.write(string.format("upstream %s %d\n", upstream, count))
  end
  for _, p in ipairs({ 50, 90, 99 }) do
    io.write(string.format("p%d %.1f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max %.1f\n", latency.max / 1000))
end
