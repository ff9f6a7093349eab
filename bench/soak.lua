-- The soak of make bench: a mix of reads and writes with one API key, in turn on each connection.
-- APIKEY, PROJECT and RENDER come from the environment (bench/run.sh sets them).
local key, project, render = os.getenv("APIKEY"), os.getenv("PROJECT"), os.getenv("RENDER")
local requests, n = {}, 0

function init(args)
  local auth = { ["X-API-Key"] = key }
  local json = { ["X-API-Key"] = key, ["Content-Type"] = "application/json" }
  requests = {
    wrk.format("GET", "/v1/projects/" .. project, auth),
    wrk.format("GET", "/v1/me", auth),
    wrk.format("GET", "/v1/projects?page_size=20", auth),
    wrk.format("GET", "/v1/renders/" .. render, auth),
    wrk.format("POST", "/v1/projects", json, '{"name":"soak","description":"made by the soak"}'),
    wrk.format("PATCH", "/v1/projects/" .. project, json, '{"description":"patched by the soak"}'),
    wrk.format("GET", "/live"),
  }
end

function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end
