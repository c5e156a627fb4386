-- The Open311 list as a client pages through it: the last 90 days, 50 requests a page, a random page of the first 20.
math.randomseed(os.time() + 11)
request = function()
  local page = math.random(1, 20)
  return wrk.format("GET", "/open311/v2/requests.json?jurisdiction_id=banyuwangi&page_size=50&page=" .. page)
end
