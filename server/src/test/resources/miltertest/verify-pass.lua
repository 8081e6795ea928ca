-- An external client (198.51.100.7) relays mail carrying a valid signature (global `signature`,
-- made by MiltertestTest over message.eml): Inkan reports dkim=pass.
dofile(dir .. "/common.lua")

local conn = open_session("198.51.100.7")
local headers, body = read_message()
table.insert(headers, 1, { name = "DKIM-Signature", value = signature })
expect_delivered(send_message(conn, headers, body))

local ar = inserted(conn, "Authentication-Results")
expect_contains(ar, "mx.example.net")
expect_contains(ar, "dkim=pass")
expect_contains(ar, "header.d=example.com")
mt.disconnect(conn)
