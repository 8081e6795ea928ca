-- An external client (198.51.100.7) relays mail without a signature: On-NoSignature defaults
-- to accept, so the message goes through.
dofile(dir .. "/common.lua")

local conn = open_session("198.51.100.7")
local headers, body = read_message()
expect_delivered(send_message(conn, headers, body))
mt.disconnect(conn)
