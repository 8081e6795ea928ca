-- Shared steps for Inkan's miltertest scripts. Globals set by MiltertestTest with -D:
--   socket  the unix socket Inkan listens on
--   dir     the folder holding these scripts and message.eml
-- Every step either gets the reply the milter protocol expects or raises an error, which makes
-- miltertest exit non-zero.

mt.set_timeout(30)

-- Raises unless a step succeeded and, when Inkan asked for a reply to it, replied "continue".
function expect_continue(conn, what, err, no_reply_option)
  if err ~= nil then
    error(what .. " failed: " .. err)
  end
  if no_reply_option ~= nil and mt.test_option(conn, no_reply_option) then
    return
  end
  local reply = mt.getreply(conn)
  if reply ~= SMFIR_CONTINUE then
    error(what .. ": expected SMFIR_CONTINUE, got " .. string.format("%q", tostring(reply)))
  end
end

-- Connects, negotiates with libmilter's defaults and announces a client at `ip`.
function open_session(ip)
  local conn = mt.connect("unix:" .. socket, 40, 0.25)
  if conn == nil then
    error("mt.connect(unix:" .. socket .. ") failed")
  end
  local err = mt.negotiate(conn, nil, nil, nil)
  if err ~= nil then
    error("mt.negotiate() failed: " .. err)
  end
  if not mt.test_option(conn, SMFIP_NOCONNECT) then
    expect_continue(conn, "mt.conninfo()", mt.conninfo(conn, "client.example", ip), SMFIP_NR_CONN)
  end
  return conn
end

-- Reads message.eml: a list of {name, value} header fields (folding kept as LF, as Postfix
-- sends it) and the body with CRLF line ends.
function read_message()
  local f = assert(io.open(dir .. "/message.eml", "rb"))
  local text = f:read("*a"):gsub("\r\n", "\n")
  f:close()
  local split = assert(text:find("\n\n", 1, true), "message.eml has no blank line")
  local headers = {}
  for line in (text:sub(1, split) .. ""):gmatch("([^\n]*)\n") do
    if line:match("^[ \t]") then
      headers[#headers].value = headers[#headers].value .. "\n" .. line
    else
      local name, value = line:match("^([^:]+):[ \t]*(.*)$")
      headers[#headers + 1] = { name = name, value = value }
    end
  end
  local body = text:sub(split + 2):gsub("\n", "\r\n")
  return headers, body
end

-- Sends one message (envelope, header fields, body, end of message); returns the final reply.
function send_message(conn, headers, body)
  mt.macro(conn, SMFIC_MAIL, "i", "MT" .. tostring(os.time()))
  if not mt.test_option(conn, SMFIP_NOMAIL) then
    expect_continue(conn, "mt.mailfrom()", mt.mailfrom(conn, "<joe@example.com>"), SMFIP_NR_MAIL)
  end
  if not mt.test_option(conn, SMFIP_NORCPT) then
    expect_continue(conn, "mt.rcptto()", mt.rcptto(conn, "<ann@example.net>"), SMFIP_NR_RCPT)
  end
  if not mt.test_option(conn, SMFIP_NOHDRS) then
    for _, h in ipairs(headers) do
      expect_continue(conn, "mt.header(" .. h.name .. ")", mt.header(conn, h.name, h.value), SMFIP_NR_HDR)
    end
  end
  if not mt.test_option(conn, SMFIP_NOEOH) then
    expect_continue(conn, "mt.eoh()", mt.eoh(conn), SMFIP_NR_EOH)
  end
  if not mt.test_option(conn, SMFIP_NOBODY) then
    expect_continue(conn, "mt.bodystring()", mt.bodystring(conn, body), SMFIP_NR_BODY)
  end
  local err = mt.eom(conn)
  if err ~= nil then
    error("mt.eom() failed: " .. err)
  end
  return mt.getreply(conn)
end

-- Raises unless the end-of-message verdict lets the mail through (continue or accept).
function expect_delivered(reply)
  if reply ~= SMFIR_CONTINUE and reply ~= SMFIR_ACCEPT then
    error("end of message: expected SMFIR_CONTINUE or SMFIR_ACCEPT, got " .. string.format("%q", tostring(reply)))
  end
end

-- Returns the value of the header field Inkan inserted at end of message, or raises.
function inserted(conn, name)
  if not mt.eom_check(conn, MT_HDRINSERT, name) then
    error("Inkan did not insert a " .. name .. " header field")
  end
  local value = mt.getheader(conn, name, 0)
  if value == nil then
    error("mt.getheader(" .. name .. ") returned nothing")
  end
  mt.echo(name .. ": " .. value)
  return value
end

-- Raises unless `value` contains `text` (plain, not a pattern).
function expect_contains(value, text)
  if not value:find(text, 1, true) then
    error("expected \"" .. text .. "\" in: " .. value)
  end
end
