-- Posts cross-bank transfers with unique ids; each wrk thread numbers its own.
local counter = 0
local thread_id = 0
local banks = tonumber(os.getenv("BANKS") or "8")
local accounts = tonumber(os.getenv("ACCOUNTS") or "100")
-- The server requires a bearer token (./clearhouse token); run.sh passes one signed for its data directory.
local headers = {["Content-Type"] = "application/json"}
if (os.getenv("TOKEN") or "") ~= "" then
  headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end
function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end
function init(args)
  math.randomseed(tid * 7919 + os.time())
  run = tostring(os.time())
end
request = function()
  counter = counter + 1
  local from_bank = math.random(1, banks)
  local to_bank = (from_bank + math.random(1, banks - 1) - 1) % banks + 1
  local body = string.format('{"id":"w%s-%d-%d","from":"a%d-%d","to":"a%d-%d","amount":1}', run, tid, counter,
    from_bank, math.random(0, accounts - 1), to_bank, math.random(0, accounts - 1))
  return wrk.format("POST", "/api/transfers", headers, body)
end
