-- An external client (198.51.100.7) relays a signed message whose body was changed in transit:
-- Inkan reports dkim=fail and, as On-BadSignature defaults to accept, lets it through.
dofile(dir .. "/common.lua")

local conn = open_session("198.51.100.7")
local headers, body = read_message()
table.insert(headers, 1, { name = "DKIM-Signature", value = signature })
local tampered = body:gsub("Hello", "Jello")
expect_delivered(send_message(conn, headers, tampered))

local ar = inserted(conn, "Authentication-Results")
expect_contains(ar, "dkim=fail")
mt.disconnect(conn)
