-- wrk script: compact HTTP announces with info-hashes from a pool (HASHES env: a file of hex
-- info-hashes, one per line — the same pool is whitelisted in opentracker) and random peer ids.
local hashes = {}

local function pct(hex)
  return (hex:gsub("..", function(h) return "%" .. h end))
end

init = function(args)
  local file = os.getenv("HASHES")
  for line in io.lines(file) do
    table.insert(hashes, pct(line))
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

request = function()
  local h = hashes[math.random(#hashes)]
  local id = "-WK0001-"
  for i = 1, 12 do id = id .. string.char(math.random(97, 122)) end
  local path = "/announce?info_hash=" .. h .. "&peer_id=" .. id .. "&port=" .. math.random(1024, 65535)
      .. "&uploaded=0&downloaded=0&left=" .. math.random(0, 1) * 1000 .. "&compact=1&numwant=50"
  return wrk.format("GET", path)
end
