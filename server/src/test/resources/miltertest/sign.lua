-- An internal client (127.0.0.1) sends mail from example.com: Inkan signs it.
dofile(dir .. "/common.lua")

local conn = open_session("127.0.0.1")
local headers, body = read_message()
expect_delivered(send_message(conn, headers, body))

local sig = inserted(conn, "DKIM-Signature")
expect_contains(sig, "d=example.com")
expect_contains(sig, "s=sel")
mt.disconnect(conn)
