-- The bare list: the Open311 list's page of 50 (the last 90 days, a random page of the first 20) by hand.
math.randomseed(os.time() + 11)
request = function()
  local page = math.random(1, 20)
  return wrk.format("GET", "/bench/bare-list?page=" .. page)
end
