-- The tracking API asked again and again for one code (a citizen refreshing, a link shared in a chat).
request = function()
  return wrk.format("GET", "/api/v1/regions/banyuwangi/track/BWI-0000-0042")
end
