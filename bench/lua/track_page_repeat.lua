-- The public tracking page asked again and again for one code, by anonymous visitors.
request = function()
  return wrk.format("GET", "/banyuwangi/lacak/?kode=BWI-0000-0042")
end
