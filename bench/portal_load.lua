-- wrk script for the portal benchmark. Environment (read at init):
--   BENCH_MODE=submit|track|get, BENCH_CSRF (token and cookie), BENCH_FORM_TOKEN,
--   BENCH_CODE (tracking code), BENCH_RUN (marker written into every description),
--   BENCH_COOKIE for mode get: a Cookie header (a staff session for the desk's pages),
--   BENCH_CODES_FILE and BENCH_THREADS for mode track_many (every thread walks its own share
--   of the codes, so each lookup is of a case no process has rendered yet);
--   BENCH_TOKENS_FILE for mode submit: single-use form tokens, each thread its own share (a
--   token used twice registers nothing: the second POST shows the first receipt).
-- Each submission carries a unique description "bench <run> <thread>-<n>" so every row can
-- be verified afterwards; status counts per thread are printed as one JSON line at the end.
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  mode = os.getenv("BENCH_MODE") or "get"
  csrf = os.getenv("BENCH_CSRF") or ""
  form_token = os.getenv("BENCH_FORM_TOKEN") or ""
  code = os.getenv("BENCH_CODE") or ""
  run = os.getenv("BENCH_RUN") or "0"
  codes = {}
  tokens = {}
  if mode == "submit" and os.getenv("BENCH_TOKENS_FILE") then
    local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
    local i = 0
    for line in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
      if i % nthreads == id - 1 then table.insert(tokens, line) end
      i = i + 1
    end
  end
  if mode == "track_many" then
    local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
    local i = 0
    for line in io.lines(os.getenv("BENCH_CODES_FILE")) do
      if i % nthreads == id - 1 then table.insert(codes, line) end
      i = i + 1
    end
  end
  n = 0
  ok = 0
  bad = 0
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Referer"] = "http://127.0.0.1/",
  }
  get_headers = {}
  if (os.getenv("BENCH_COOKIE") or "") ~= "" then get_headers["Cookie"] = os.getenv("BENCH_COOKIE") end
  base = "csrfmiddlewaretoken=" .. urlencode(csrf)
    .. "&name=Pelapor+Uji&phone=081268610005&email=pelapor%40example.org&consent=on"
    .. "&subject=Uji+beban&website="
end

function request()
  if mode == "submit" then
    n = n + 1
    local token = form_token
    if #tokens > 0 then token = tokens[(n - 1) % #tokens + 1] end
    local body = base .. "&form_token=" .. urlencode(token)
      .. "&description=" .. urlencode("bench " .. run .. " " .. id .. "-" .. n)
    return wrk.format("POST", "/pengaduan/kirim/", headers, body)
  elseif mode == "track" then
    return wrk.format("POST", "/lacak/", headers,
                      "csrfmiddlewaretoken=" .. urlencode(csrf) .. "&code=" .. urlencode(code))
  elseif mode == "track_many" then
    n = n + 1
    local this = codes[(n - 1) % #codes + 1]
    return wrk.format("POST", "/lacak/", headers,
                      "csrfmiddlewaretoken=" .. urlencode(csrf) .. "&code=" .. urlencode(this))
  end
  return wrk.format("GET", os.getenv("BENCH_PATH") or "/bench/minimal/", get_headers)
end

function response(status, hdrs, body)
  local expected = (mode == "submit" and status == 302) or (mode ~= "submit" and status == 200)
  if expected then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_bad = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_bad = total_bad + t:get("bad")
  end
  io.write(string.format('BENCH {"ok": %d, "bad": %d, "requests": %d, "seconds": %.3f, ' ..
    '"socket_errors": %d, "p50_ms": %.2f, "p99_ms": %.2f}\n', total_ok, total_bad,
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
