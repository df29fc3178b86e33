/**
 * The Lua that ties the parsers to Wireshark: 4-byte framing reassembled across TCP segments,
 * the protocol tree, the Info column, expert info for malformed frames, and the registrations
 * (TCP ports, and heuristics on TCP, decrypted TLS and WebSocket payloads). It expects the
 * generated tables (HF, RF, INFO_FIELDS, PORTS, MAX_FRAME, ...) and the parsers before it.
 */
export const LUA_DISSECTOR = String.raw`
local PARSERS = { amps = json_payload, fix = tv_payload, xml = xml_payload }
local TEXT_BODIES = { amps = true, xml = true }

-- Which header protocol a payload speaks, from its first bytes (as decode's auto detection):
-- '{' amps, digits then '=' fix, '<' xml.
local function payload_kind(head)
  local i = 1
  if sub(head, 1, 3) == "\239\187\191" then i = 4 end
  i = find(head, "[^ \t\r\n]", i) or i
  local c = byte(head, i)
  if c == 123 then return "amps" end
  if c == 60 then return "xml" end
  if c ~= nil and c >= 48 and c <= 57 then return "fix" end
  return nil
end

-- Whether the bytes at off start a frame as a heuristic would accept it: a plausible length and
-- the start of an amps/json, fix or xml header.
local function looks_like_frame(tvb, off)
  local avail = tvb:len() - off
  if avail < 6 then return false end
  local n = tvb(off, 4):uint()
  if n < 2 or n > MAX_FRAME then return false end
  local head = tvb:raw(off + 4, math.min(avail - 4, n, 96))
  local kind = payload_kind(head)
  if kind == "amps" then return find(head, '^%s*{%s*["}]') ~= nil end
  if kind == "fix" then return find(head, "^%d+=") ~= nil end
  if kind == "xml" then return find(head, "^%s*<%?xml") ~= nil or find(head, "^%s*<[%w_%-:]*Envelope[%s>]") ~= nil end
  return false
end

-- Whether a WebSocket message is an amps/json header sent without a length prefix (60East's
-- JavaScript client): an object whose first key is a header field (a JSON body is not).
local function looks_like_bare_header(tvb)
  local len = tvb:len()
  if len < 2 then return false end
  local head = tvb:raw(0, math.min(len, 96))
  local _, _, key = find(head, '^%s*{%s*"([^"\\]*)"%s*:')
  return key ~= nil and JSON_KEYS[key] ~= nil
end

local function printable(text, limit)
  if #text > limit then text = sub(text, 1, limit) .. "..." end
  return (text:gsub("%c", "."))
end

local function add_value(t, field, tvb, off, len, value)
  if len > 0 then return t:add(field, tvb(off, len), value) end
  return t:add(field, value)
end

-- Header fields of m (or of a record) under t, with the field set hfs.
local function add_fields(t, tvb, base, fields, hfs, unknown)
  for _, f in ipairs(fields) do
    local value = f.value
    if f.id ~= nil then
      if f.id == ID.Command and value == "p" then value = "publish" end
      add_value(t, hfs[f.id], tvb, base + f.s - 1, f.e - f.s, value)
    else
      add_value(t, unknown, tvb, base + f.s - 1, f.e - f.s, f.key .. "=" .. value)
    end
  end
end

local function add_body(t, tvb, base, s, e, kind, fields)
  local len = e - s
  if len > 0 then
    local r = tvb(base + s - 1, len)
    t:add(fields.length, r, len)
    t:add(fields.bytes, r)
    if TEXT_BODIES[kind] then t:add(fields.text, r, r:string(ENC_UTF_8)) end
  else
    t:add(fields.length, 0)
  end
end

local BODY_FIELDS = { length = hf_body_length, bytes = hf_body, text = hf_body_text }
local RECORD_BODY_FIELDS = { length = hf_record_body_length, bytes = hf_record_body, text = hf_record_body_text }

local function info_text(m, kind)
  local command = first_value(m, ID.Command)
  if command == "p" then command = "publish" end
  local parts = { printable(command or "(no command)", 40) }
  local topic = first_value(m, ID.Topic)
  if topic ~= nil then parts[#parts + 1] = printable(topic, 80) end
  for _, info in ipairs(INFO_FIELDS) do
    local v = first_value(m, info[1])
    if v ~= nil then parts[#parts + 1] = info[2] .. "=" .. printable(v, 40) end
  end
  if m.records ~= nil then parts[#parts + 1] = "[" .. #m.records .. (#m.records == 1 and " record]" or " records]") end
  return concat(parts, " ")
end

-- The Info column holds one entry per AMPS message in the packet. A packet dissected again
-- starts from the lower layer's text, so the column is taken over when it no longer shows
-- what this dissector last wrote there.
local info_frame, info_written = -1, nil
local function set_info(pinfo, text)
  pinfo.cols.protocol:set("AMPS")
  if info_frame == pinfo.number and tostring(pinfo.cols.info) == info_written then
    pinfo.cols.info:append(", " .. text)
  else
    pinfo.cols.info:set(text)
  end
  info_frame, info_written = pinfo.number, tostring(pinfo.cols.info)
end

local function report(t, tvb, base, n, err)
  local pos, msg = n + 1, nil
  if getmetatable(err) == BAD then
    pos, msg = err.pos, err.msg
  else
    msg = "dissector fault: " .. tostring(err)
  end
  if pos > n + 1 then pos = n + 1 end
  if pos < 1 then pos = 1 end
  local text = msg .. " (payload offset " .. (pos - 1) .. ")"
  if pos <= n then
    t:add_tvb_expert_info(ef_malformed, tvb(base + pos - 1, 1), text)
  else
    t:add_proto_expert_info(ef_malformed, text)
  end
end

-- One AMPS message: payload of n bytes at base; the 4-byte length before it when framed.
local function show_message(tvb, pinfo, tree, base, n, framed, port_protocol)
  local t
  if framed then
    t = tree:add(amps, tvb(base - 4, n + 4))
    t:add(hf_length, tvb(base - 4, 4))
  else
    t = tree:add(amps, tvb(base, n))
    t:add(hf_length, n)
  end
  local s = n > 0 and tvb:raw(base, n) or ""
  local kind = payload_kind(sub(s, 1, 64))
  if kind == nil then
    t:add_proto_expert_info(ef_malformed, "the payload does not start an amps/json, fix or xml header")
    set_info(pinfo, "(not an AMPS header)")
    return
  end
  local name = kind
  if kind == "fix" and port_protocol ~= nil then name = port_protocol end
  add_value(t, hf_protocol, tvb, base, math.min(n, 1), name)
  local m = { fields = {} }
  local ok, err = pcall(PARSERS[kind], s, n, m)
  add_fields(t, tvb, base, m.fields, HF, hf_unknown)
  if m.body_s ~= nil then add_body(t, tvb, base, m.body_s, m.body_e, kind, BODY_FIELDS) end
  if m.records ~= nil then
    t:add(hf_record_count, #m.records)
    for index, rec in ipairs(m.records) do
      local e = rec.e or rec.body_e or (n + 1)
      local rt
      if e > rec.s then rt = t:add(hf_record, tvb(base + rec.s - 1, e - rec.s)) else rt = t:add(hf_record) end
      local key = first_value(rec, ID.SowKey)
      rt:set_text("SOW record " .. (index - 1) .. (key and (", key " .. printable(key, 60)) or ""))
      add_fields(rt, tvb, base, rec.fields, RF, hf_record_unknown)
      if rec.body_s ~= nil then add_body(rt, tvb, base, rec.body_s, rec.body_e, kind, RECORD_BODY_FIELDS) end
    end
  end
  local info = info_text(m, kind)
  t:append_text(", " .. name .. ", " .. info)
  if not ok then
    report(t, tvb, base, n, err)
    info = info .. " [malformed]"
  end
  set_info(pinfo, info)
end

local function port_protocol(pinfo)
  return PORTS[pinfo.dst_port] or PORTS[pinfo.src_port] or nil
end

local function frame_length(tvb, pinfo, off)
  local n = tvb(off, 4):uint()
  -- An impossible length is not waited for: the rest of the data is reported as one bad frame.
  if n > MAX_FRAME then return tvb:len() - off end
  return n + 4
end

local function dissect_frame(tvb, pinfo, tree)
  local n = tvb(0, 4):uint()
  if n > MAX_FRAME then
    local t = tree:add(amps, tvb())
    t:add(hf_length, tvb(0, 4))
    t:add_proto_expert_info(ef_malformed, "frame length " .. n .. " is above the largest accepted (" .. MAX_FRAME .. ")")
    set_info(pinfo, "(frame length " .. n .. ")")
    return tvb:len()
  end
  show_message(tvb, pinfo, tree, 4, n, true, port_protocol(pinfo))
  return tvb:len()
end

local function dissect_stream(tvb, pinfo, tree)
  return dissect_tcp_pdus(tvb, tree, 4, frame_length, dissect_frame, true)
end

function amps.dissector(tvb, pinfo, tree)
  -- On a registered port, bytes that cannot start a frame (TLS on that port, say) are refused
  -- so that other dissectors get them.
  if tvb:len() >= 4 and tvb(0, 4):uint() > MAX_FRAME then return 0 end
  return dissect_stream(tvb, pinfo, tree)
end

local function heuristic_tcp(tvb, pinfo, tree)
  if not looks_like_frame(tvb, 0) then return false end
  pinfo.conversation = amps
  dissect_stream(tvb, pinfo, tree)
  return true
end

local function heuristic_tls(tvb, pinfo, tree)
  if not looks_like_frame(tvb, 0) then return false end
  dissect_stream(tvb, pinfo, tree)
  return true
end

-- WebSocket messages carry either whole frames of the TCP stream (binary-framed) or, from
-- 60East's JavaScript client, a bare header and its body as separate messages.
local function heuristic_ws(tvb, pinfo, tree)
  if looks_like_frame(tvb, 0) then
    local len, off = tvb:len(), 0
    while off + 4 <= len do
      local n = tvb(off, 4):uint()
      if n > MAX_FRAME or off + 4 + n > len then
        local t = tree:add(amps, tvb(off))
        t:add_proto_expert_info(ef_partial, "a frame of " .. n .. " bytes continues beyond this WebSocket message")
        break
      end
      show_message(tvb, pinfo, tree, off + 4, n, true, nil)
      off = off + 4 + n
    end
    return true
  end
  if looks_like_bare_header(tvb) then
    show_message(tvb, pinfo, tree, 0, tvb:len(), false, nil)
    return true
  end
  return false
end

local tcp_port = DissectorTable.get("tcp.port")
for port, _ in pairs(PORTS) do tcp_port:add(port, amps) end
amps:register_heuristic("tcp", heuristic_tcp)
amps:register_heuristic("tls", heuristic_tls)
pcall(function() amps:register_heuristic("ws", heuristic_ws) end)
`;
