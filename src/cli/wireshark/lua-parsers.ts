/**
 * The Lua that reads AMPS payloads inside the Wireshark dissector: the amps/json, tag=value
 * (fix, nvfix) and xml header protocols and their SOW batches, following WIRE.md sections 2 to 4
 * and the library's decoders. It expects the tables the generator writes before it (JSON_KEYS,
 * FIX_TAGS, XML_NAMES, ID) and fills a message table:
 *
 *   m.fields  = { { id = field index or nil, key = spelling, value = text, s = first byte, e = after last } }
 *   m.body_s, m.body_e   the body (or a SOW batch's records region), [s, e)
 *   m.records = { { fields = ..., s = ..., e = ..., body_s = ..., body_e = ... } }
 *
 * Positions are 1-based indexes into the payload string. A malformed payload raises a table
 * error `{ msg = ..., pos = ... }` (marked by BAD), which the dissector turns into expert info;
 * what was read before the fault stays in `m`. Every scan moves forward only, with string.find
 * over character classes, so the work is linear in the payload.
 */
export const LUA_PARSERS = String.raw`
local byte, sub, find, char, concat = string.byte, string.sub, string.find, string.char, table.concat
local floor = math.floor

local BAD = {}
local function fail(msg, pos)
  error(setmetatable({ msg = msg, pos = pos }, BAD), 0)
end

local function describe(c)
  if c == nil then return "the end of the payload" end
  if c > 32 and c < 127 then return "'" .. char(c) .. "'" end
  return string.format("byte 0x%02x", c)
end

local function fail_at(s, i, n, expected)
  if i > n then fail("unexpected end of payload, expected " .. expected, n + 1) end
  fail("unexpected " .. describe(byte(s, i)) .. ", expected " .. expected, i)
end

local function add_field(into, id, key, value, s, e)
  local list = into.fields
  list[#list + 1] = { id = id, key = key, value = value, s = s, e = e }
end

local function first_value(into, id)
  for _, f in ipairs(into.fields) do
    if f.id == id then return f.value, f end
  end
  return nil
end

local function utf8_char(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
  if cp < 0x10000 then return char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64) end
  return char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64, 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
end

local function is_uint(text)
  return text ~= nil and #text > 0 and #text <= 16 and find(text, "^%d+$") ~= nil
end

-- The declared BatchSize, when present as digits, must equal the records found.
local function check_batch_size(m, found, at, spelling)
  local declared = first_value(m, ID.BatchSize)
  if not is_uint(declared) then return end
  local d = tonumber(declared)
  if d > found then
    fail("unexpected end of payload, expected " .. d .. " records (" .. spelling .. "), found " .. found, at)
  elseif d < found then
    fail("expected " .. d .. " records (" .. spelling .. "), found " .. found, at)
  end
end

---------------------------------------------------------------------------------------------------
-- amps/json (WIRE.md section 2)

local JSON_ESCAPES = { [34] = '"', [92] = "\\", [47] = "/", [98] = "\b", [102] = "\f", [110] = "\n", [114] = "\r", [116] = "\t" }
local MAX_DEPTH = 64
local MAX_MEMBERS = 4096

local function skip_ws(s, i)
  return find(s, "[^ \t\r\n]", i) or (#s + 1)
end

local function hex4(s, i)
  local h = sub(s, i, i + 3)
  if find(h, "^%x%x%x%x$") then return tonumber(h, 16) end
  return nil
end

-- A JSON string whose opening quote is at i: its value with escapes resolved, and the index
-- after its closing quote.
local function json_string(s, i, n)
  local parts, np = nil, 0
  local run = i + 1
  while true do
    local k = find(s, '["\\]', run)
    if k == nil then fail_at(s, n + 1, n, "a closing '\"'") end
    if byte(s, k) == 34 then
      if parts == nil then return sub(s, i + 1, k - 1), k + 1 end
      np = np + 1
      parts[np] = sub(s, run, k - 1)
      return concat(parts), k + 1
    end
    parts = parts or {}
    np = np + 1
    parts[np] = sub(s, run, k - 1)
    local e = byte(s, k + 1)
    if e == 117 then
      local cp = hex4(s, k + 2)
      if cp == nil then fail_at(s, k + 2 > n and n + 1 or k + 2, n, "four hex digits after \\u") end
      run = k + 6
      if cp >= 0xD800 and cp <= 0xDBFF and sub(s, k + 6, k + 7) == "\\u" then
        local low = hex4(s, k + 8)
        if low ~= nil and low >= 0xDC00 and low <= 0xDFFF then
          cp = 0x10000 + (cp - 0xD800) * 1024 + (low - 0xDC00)
          run = k + 12
        end
      end
      np = np + 1
      parts[np] = utf8_char(cp)
    elseif e ~= nil and JSON_ESCAPES[e] ~= nil then
      np = np + 1
      parts[np] = JSON_ESCAPES[e]
      run = k + 2
    elseif e == nil then
      fail_at(s, n + 1, n, "an escaped character")
    else
      fail("invalid escape \\" .. char(e), k)
    end
  end
end

local function json_number(s, i, n)
  local _, e = find(s, "^-?%d+", i)
  if e == nil then fail_at(s, byte(s, i) == 45 and i + 1 or i, n, "a digit") end
  local j = e + 1
  if byte(s, j) == 46 then
    local _, fe = find(s, "^%d+", j + 1)
    if fe == nil then fail_at(s, j + 1, n, "a digit after '.'") end
    j = fe + 1
  end
  local c = byte(s, j)
  if c == 101 or c == 69 then
    j = j + 1
    c = byte(s, j)
    if c == 43 or c == 45 then j = j + 1 end
    local _, xe = find(s, "^%d+", j)
    if xe == nil then fail_at(s, j, n, "a digit in the exponent") end
    j = xe + 1
  end
  return j
end

local function json_literal(s, i, n, word)
  for k = 1, #word do
    if byte(s, i + k - 1) ~= byte(word, k) then fail_at(s, i + k - 1, n, "'" .. word .. "'") end
  end
  return i + #word
end

-- Skips a nested object or array (only ever under an unknown key) without recursion.
local function json_skip_nested(s, i, n)
  local closers, depth = {}, 0
  while true do
    local k = find(s, '[%[%]{}"]', i)
    if k == nil then fail_at(s, n + 1, n, "'" .. char(closers[depth] or 125) .. "'") end
    local c = byte(s, k)
    if c == 123 or c == 91 then
      if depth >= MAX_DEPTH then fail("nesting deeper than " .. MAX_DEPTH, k) end
      depth = depth + 1
      closers[depth] = c + 2
      i = k + 1
    elseif c == 125 or c == 93 then
      if closers[depth] ~= c then fail("unexpected " .. describe(c), k) end
      closers[depth] = nil
      depth = depth - 1
      i = k + 1
      if depth == 0 then return i end
    else
      local _, after = json_string(s, k, n)
      i = after
    end
  end
end

local function remove_field(into, id)
  local kept = {}
  for _, f in ipairs(into.fields) do
    if f.id ~= id then kept[#kept + 1] = f end
  end
  into.fields = kept
end

-- Reads the header object from i (leading whitespace allowed) into into.fields; returns the
-- index just after its closing brace.
local function json_header(s, i, n, into)
  i = skip_ws(s, i)
  if byte(s, i) ~= 123 then fail_at(s, i, n, "'{' to open the header") end
  i = skip_ws(s, i + 1)
  if byte(s, i) == 125 then return i + 1 end
  local members = 0
  while true do
    if byte(s, i) ~= 34 then fail_at(s, i, n, "'\"' to open a key") end
    members = members + 1
    if members > MAX_MEMBERS then fail("more than " .. MAX_MEMBERS .. " header members", i) end
    local start = i
    local key
    key, i = json_string(s, i, n)
    i = skip_ws(s, i)
    if byte(s, i) ~= 58 then fail_at(s, i, n, "':' after the key") end
    i = skip_ws(s, i + 1)
    local id = JSON_KEYS[key]
    local c = byte(s, i)
    local value
    if c == 34 then
      value, i = json_string(s, i, n)
    elseif c == 110 then
      i = json_literal(s, i, n, "null")
      if id ~= nil then remove_field(into, id) end
    elseif c == 116 then
      i = json_literal(s, i, n, "true")
      value = "true"
    elseif c == 102 then
      i = json_literal(s, i, n, "false")
      value = "false"
    elseif c == 45 or (c ~= nil and c >= 48 and c <= 57) then
      local e = json_number(s, i, n)
      value = sub(s, i, e - 1)
      i = e
    elseif (c == 123 or c == 91) and id == nil then
      local e = json_skip_nested(s, i, n)
      value = sub(s, i, e - 1)
      i = e
    elseif c == 123 or c == 91 then
      fail("the value of '" .. key .. "' must be a string, number, true, false or null", i)
    else
      fail_at(s, i, n, "a value")
    end
    if value ~= nil then add_field(into, id, key, value, start, i) end
    i = skip_ws(s, i)
    c = byte(s, i)
    if c == 44 then
      i = skip_ws(s, i + 1)
    elseif c == 125 then
      return i + 1
    else
      fail_at(s, i, n, "',' or '}' after a value")
    end
  end
end

local function json_payload(s, n, m)
  local body = json_header(s, 1, n, m)
  m.body_s, m.body_e = body, n + 1
  if body > n or first_value(m, ID.Command) ~= "sow" then return end
  local records = {}
  m.records = records
  local i = body
  while i <= n do
    local rec = { fields = {}, s = i }
    records[#records + 1] = rec
    local bs = json_header(s, i, n, rec)
    local l, f = first_value(rec, ID.MessageLength)
    if l == nil then fail("SOW record header has no 'l' (MessageLength)", bs) end
    if not is_uint(l) then fail("SOW record 'l' (MessageLength) is not an unsigned integer", f.s) end
    local len = tonumber(l)
    if len > n + 1 - bs then
      rec.e, rec.body_s, rec.body_e = n + 1, bs, n + 1
      fail("SOW record body of " .. len .. " bytes runs past the end of the payload", n + 1)
    end
    rec.body_s, rec.body_e = bs, bs + len
    rec.e = bs + len
    i = bs + len
  end
  check_batch_size(m, #records, n + 1, "'bs' (BatchSize)")
end

---------------------------------------------------------------------------------------------------
-- fix and nvfix (WIRE.md section 3): tag=value fields, \1 after each, \2 after the header

local MAX_TAG_FIELDS = 4096
local tv_length, tv_length_at

-- Scans fields from i to just past the header separator, adding them to into (when given).
-- Returns the index after the separator, or nil, what went wrong, and where.
local function tv_scan(s, i, n, into)
  tv_length = nil
  local count = 0
  while true do
    if i > n then return nil, "end", i end
    if byte(s, i) == 2 then return i + 1 end
    local _, te = find(s, "^%d*", i)
    local eq = te + 1
    if eq > n then return nil, "end", eq end
    if te < i then return nil, "tag", i end
    if byte(s, eq) ~= 61 then return nil, "tag-digit", eq end
    local vs = eq + 1
    local ve = find(s, "[\1\2]", vs)
    if ve == nil then return nil, "end", n + 1 end
    count = count + 1
    if count > MAX_TAG_FIELDS then return nil, "fields", i end
    local tag = sub(s, i, te)
    local id = nil
    if te - i < 9 then id = FIX_TAGS[tonumber(tag)] end
    if id == ID.MessageLength then
      tv_length, tv_length_at = sub(s, vs, ve - 1), vs
    end
    if into ~= nil then add_field(into, id, tag, sub(s, vs, ve - 1), i, ve) end
    if byte(s, ve) == 2 then return ve + 1 end
    i = ve + 1
  end
end

local TV_FAILURES = {
  ["end"] = "unexpected end of payload, expected a field or the header separator (0x02)",
  tag = "expected a tag (digits) or the header separator (0x02)",
  ["tag-digit"] = "expected a digit or '=' in the tag",
  fields = "expected at most " .. MAX_TAG_FIELDS .. " header fields",
}

local function tv_read(s, i, n, into)
  local next_i, why, at = tv_scan(s, i, n, into)
  if next_i == nil then fail(TV_FAILURES[why], at) end
  return next_i
end

local function tv_body_length(s, body, n)
  if not is_uint(tv_length) then fail("expected an unsigned integer as MessageLength (20058)", tv_length_at) end
  local len = tonumber(tv_length)
  if len > n + 1 - body then
    fail("unexpected end of payload, expected " .. len .. " body bytes (MessageLength 20058), found " .. (n + 1 - body), n + 1)
  end
  return len
end

local function tv_ends_payload(s, e, n)
  if e == n + 1 then return true end
  local c = byte(s, e)
  return e == n and (c == 1 or c == 2)
end

-- Where the body starts when the bytes at i are more header groups ending with one that has
-- MessageLength and exactly that many bytes follow; nil otherwise.
local function tv_continued(s, i, n)
  while i <= n do
    local next_i = tv_scan(s, i, n, nil)
    if next_i == nil then return nil end
    if tv_length ~= nil then
      if not is_uint(tv_length) then return nil end
      local len = tonumber(tv_length)
      if len <= n + 1 - next_i and tv_ends_payload(s, next_i + len, n) then return next_i end
      return nil
    end
    i = next_i
  end
  return nil
end

local function tv_records(s, i, n, m)
  local records = {}
  m.records = records
  m.body_s, m.body_e = n + 1, n + 1
  while i <= n do
    local at = i
    local rec = { fields = {}, s = i }
    local body = tv_read(s, i, n, rec)
    if tv_length == nil then
      if #records > 0 then fail("expected MessageLength (20058) in the SOW record header", at) end
      -- groups before the first record extend the outer header
      for _, f in ipairs(rec.fields) do m.fields[#m.fields + 1] = f end
      i = body
    else
      if #records == 0 then m.body_s = at end
      records[#records + 1] = rec
      local len = tv_body_length(s, body, n)
      rec.body_s, rec.body_e = body, body + len
      i = body + len
      rec.e = i
      if i <= n then
        local c = byte(s, i)
        if c ~= 1 and c ~= 2 then fail("expected a separator after the SOW record body", i) end
        i = i + 1
      end
    end
  end
  check_batch_size(m, #records, n + 1, "BatchSize (20023)")
end

local function tv_payload(s, n, m)
  local body = tv_read(s, 1, n, m)
  if tv_length == nil then
    local command = body <= n and first_value(m, ID.Command) or nil
    if command == "sow" then return tv_records(s, body, n, m) end
    local continued = nil
    if command == "p" or command == "publish" or command == "oof" then continued = tv_continued(s, body, n) end
    if continued == nil then
      m.body_s, m.body_e = body, n + 1
      return
    end
    while body < continued do body = tv_read(s, body, n, m) end
  end
  local len = tv_body_length(s, body, n)
  m.body_s, m.body_e = body, body + len
  if not tv_ends_payload(s, body + len, n) then
    fail("expected the end of the payload after the " .. len .. " body bytes MessageLength (20058) gives", body + len)
  end
end

---------------------------------------------------------------------------------------------------
-- xml (WIRE.md section 4): a SOAP envelope, one element per header field

local XML_ENTITIES = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'" }
local NAME = "[%w_%.%-:\128-\255]"
local MAX_ELEMENTS = 4096

-- Resolves the reference starting at i ('&'); returns its text and the index after its ';'.
local function xml_reference(s, i, n)
  local _, e, name = find(s, "^&(#?[%w]+);", i)
  if e == nil then
    if find(s, ";", i, true) == nil then fail_at(s, n + 1, n, "a reference ending in ';'") end
    fail("expected a reference such as &amp; &lt; &gt; &quot; &apos; &#38; or &#x26;", i)
  end
  local text = XML_ENTITIES[name]
  if text == nil and byte(name, 1) == 35 then
    local cp
    if find(name, "^#x%x+$") then cp = tonumber(sub(name, 3), 16)
    elseif find(name, "^#%d+$") then cp = tonumber(sub(name, 2)) end
    if cp ~= nil and cp > 0 and cp <= 0x10FFFF and #name <= 10 then text = utf8_char(cp) end
  end
  if text == nil then fail("expected a reference such as &amp; &lt; &gt; &quot; &apos; &#38; or &#x26;", i) end
  return text, e + 1
end

-- Text with references resolved, from i up to the first byte in stop (a character class).
local function xml_text(s, i, n, stop, parts)
  while true do
    local k = find(s, stop, i)
    if k == nil then k = n + 1 end
    if byte(s, k) ~= 38 then
      parts[#parts + 1] = sub(s, i, k - 1)
      return k
    end
    parts[#parts + 1] = sub(s, i, k - 1)
    local text
    text, i = xml_reference(s, k, n)
    parts[#parts + 1] = text
  end
end

-- Whitespace, comments and processing instructions (the prolog among them).
local function xml_misc(s, i, n)
  while true do
    i = skip_ws(s, i)
    if sub(s, i, i + 1) == "<?" then
      local _, e = find(s, "?>", i + 2, true)
      if e == nil then fail_at(s, n + 1, n, "'?>'") end
      i = e + 1
    elseif sub(s, i, i + 3) == "<!--" then
      local _, e = find(s, "-->", i + 4, true)
      if e == nil then fail_at(s, n + 1, n, "'-->'") end
      i = e + 1
    else
      return i
    end
  end
end

local xml_attr_name, xml_attr_value, xml_attr_s, xml_attr_e

-- One attribute of a start tag from i, or (xml_attr_name == nil) the tag's end: returns the
-- index after the attribute, or the index of the tag's '>' or of the '/' of '/>'.
local function xml_attribute(s, i, n)
  local j = skip_ws(s, i)
  local c = byte(s, j)
  if c == 62 or c == 47 then
    xml_attr_name = nil
    return j
  end
  if j > n then fail_at(s, j, n, "'>'") end
  local _, e, name, quote = find(s, "^(" .. NAME .. "+)%s*=%s*([\"'])", j)
  if e == nil or j == i then fail_at(s, j, n, "whitespace, an attribute, '>' or '/>'") end
  local close = find(s, quote, e + 1, true)
  if close == nil then fail_at(s, n + 1, n, "the closing quote of the attribute value") end
  local raw = sub(s, e + 1, close - 1)
  if find(raw, "<", 1, true) then fail("expected '&lt;' rather than '<' in an attribute value", e + find(raw, "<", 1, true)) end
  local parts = {}
  xml_text(s, e + 1, close - 1, "[&" .. quote .. "]", parts)
  xml_attr_name, xml_attr_value, xml_attr_s, xml_attr_e = name, concat(parts), j, close + 1
  return close + 1
end

local function xml_skip_attributes(s, i, n)
  repeat i = xml_attribute(s, i, n) until xml_attr_name == nil
  return i
end

-- Expects '</name>' (whitespace before '>' allowed) at i; returns the index after it.
local function xml_close_tag(s, i, n, name)
  local _, e = find(s, "^</" .. name:gsub("%p", "%%%0") .. "%s*>", i)
  if e == nil then fail_at(s, i, n, "'</" .. name .. ">'") end
  return e + 1
end

-- Skips the rest of an unknown element holding elements, from the '<' of its first child.
local function xml_skip_children(s, i, n, name)
  local depth = 1
  while true do
    i = find(s, "<", i, true)
    if i == nil then fail_at(s, n + 1, n, "'</" .. name .. ">'") end
    if sub(s, i, i + 8) == "<![CDATA[" then
      local _, e = find(s, "]]>", i + 9, true)
      if e == nil then fail_at(s, n + 1, n, "']]>'") end
      i = e + 1
    elseif sub(s, i, i + 3) == "<!--" or sub(s, i, i + 1) == "<?" then
      i = xml_misc(s, i, n)
    elseif byte(s, i + 1) == 47 then
      depth = depth - 1
      if depth == 0 then return xml_close_tag(s, i, n, name) end
      local _, e = find(s, "^</" .. NAME .. "*%s*>", i)
      if e == nil then fail_at(s, i, n, "'>'") end
      i = e + 1
    else
      local _, e = find(s, "^<" .. NAME .. "+", i)
      if e == nil then fail_at(s, i + 1, n, "an element name") end
      i = xml_skip_attributes(s, e + 1, n)
      if byte(s, i) == 47 then
        if byte(s, i + 1) ~= 62 then fail_at(s, i + 1, n, "'>'") end
        i = i + 2
      else
        depth = depth + 1
        i = i + 1
      end
    end
  end
end

-- One header element whose '<' is at i; returns the index after its close tag.
local function xml_field(s, i, n, into)
  local _, e, name = find(s, "^<(" .. NAME .. "+)", i)
  if e == nil then fail_at(s, i + 1, n, "an element name") end
  local id = XML_NAMES[name]
  local j = e + 1
  if byte(s, j) ~= 62 then
    j = xml_skip_attributes(s, j, n)
    if byte(s, j) == 47 then
      if byte(s, j + 1) ~= 62 then fail_at(s, j + 1, n, "'>'") end
      add_field(into, id, name, "", i, j + 2)
      return j + 2
    end
  end
  j = j + 1
  local parts = {}
  while true do
    j = xml_text(s, j, n, "[<&]", parts)
    if j > n then fail_at(s, j, n, "'</" .. name .. ">'") end
    if sub(s, j, j + 8) ~= "<![CDATA[" then break end
    local _, ce = find(s, "]]>", j + 9, true)
    if ce == nil then fail_at(s, n + 1, n, "']]>'") end
    parts[#parts + 1] = sub(s, j + 9, ce - 3)
    j = ce + 1
  end
  if byte(s, j + 1) ~= 47 then
    if id ~= nil then fail_at(s, j, n, "text, CDATA or '</" .. name .. ">'") end
    return xml_skip_children(s, j, n, name)
  end
  j = xml_close_tag(s, j, n, name)
  add_field(into, id, name, concat(parts), i, j)
  return j
end

-- The start tag '<' .. prefix .. local at i, if there: the index after its '>' and whether it
-- closed itself ('/>').
local function xml_start_tag(s, i, n, prefix, localname)
  local tag = "<" .. prefix .. localname
  if sub(s, i, i + #tag - 1) ~= tag or find(s, "^" .. NAME, i + #tag) then return nil end
  local j = xml_skip_attributes(s, i + #tag, n)
  if byte(s, j) == 47 then
    if byte(s, j + 1) ~= 62 then fail_at(s, j + 1, n, "'>'") end
    return j + 2, true
  end
  return j + 1, false
end

-- The index where '</' .. prefix .. local .. ws '>' begins if it ends just before t, else nil.
local function xml_close_before(s, lo, t, prefix, localname)
  local j = t - 1
  if byte(s, j) ~= 62 then return nil end
  while j - 1 >= lo and find(sub(s, j - 1, j - 1), "^%s") do j = j - 1 end
  local tag = "</" .. prefix .. localname
  local st = j - #tag
  if st < lo or sub(s, st, j - 1) ~= tag then return nil end
  return st
end

local function xml_records(s, i, n, m)
  local records = {}
  m.records = records
  while true do
    i = skip_ws(s, i)
    if i > n then break end
    if sub(s, i, i + 3) ~= "<Msg" or find(s, "^" .. NAME, i + 4) then fail("expected '<Msg' to open a SOW record", i) end
    local rec = { fields = {}, s = i }
    records[#records + 1] = rec
    local j = i + 4
    while true do
      j = xml_attribute(s, j, n)
      if xml_attr_name == nil then break end
      local id = nil
      if xml_attr_name == "key" then id = ID.SowKey
      elseif xml_attr_name == "len" then id = ID.MessageLength
      elseif xml_attr_name == "ts" then id = ID.Timestamp end
      add_field(rec, id, xml_attr_name, xml_attr_value, xml_attr_s, xml_attr_e)
    end
    if byte(s, j) ~= 62 then fail("expected '>' to end the <Msg> start tag", j) end
    j = j + 1
    local l, f = first_value(rec, ID.MessageLength)
    if l == nil then fail("expected a len attribute on <Msg>", i) end
    if not is_uint(l) then fail("expected an unsigned integer in the len attribute of <Msg>", f.s) end
    local len = tonumber(l)
    if len > n + 1 - j then
      fail("expected " .. len .. " record bytes (len) before the end of the body, found " .. (n + 1 - j), n + 1)
    end
    rec.body_s, rec.body_e = j, j + len
    j = j + len
    if sub(s, j, j + 5) ~= "</Msg>" then fail("expected '</Msg>' after the " .. len .. " record bytes", j) end
    rec.e = j + 6
    i = j + 6
  end
  check_batch_size(m, #records, n + 1, "BtchSz")
end

local function xml_payload(s, n, m)
  local i = 1
  if sub(s, 1, 3) == "\239\187\191" then i = 4 end
  i = xml_misc(s, i, n)
  local _, e, name = find(s, "^<(" .. NAME .. "+)", i)
  if e == nil or sub(name, -8) ~= "Envelope" then fail_at(s, i, n, "'<SOAP-ENV:Envelope>'") end
  local prefix = sub(name, 1, #name - 8)
  local j, closed = xml_start_tag(s, i, n, prefix, "Envelope")
  if closed then
    m.body_s, m.body_e = j, j
    return
  end
  j = xml_misc(s, j, n)
  local after, empty = xml_start_tag(s, j, n, prefix, "Header")
  if after ~= nil then
    j = after
    if not empty then
      local count = 0
      while true do
        j = xml_misc(s, j, n)
        if byte(s, j) ~= 60 then fail_at(s, j, n, "a header field or '</" .. prefix .. "Header>'") end
        if byte(s, j + 1) == 47 then break end
        count = count + 1
        if count > MAX_ELEMENTS then fail("expected at most " .. MAX_ELEMENTS .. " header fields", j) end
        j = xml_field(s, j, n, m)
      end
      j = xml_close_tag(s, j, n, prefix .. "Header")
    end
    j = xml_misc(s, j, n)
  end
  -- The body's end is found from the end of the payload, so the body may hold anything.
  local t = n + 1
  while t > j and find(sub(s, t - 1, t - 1), "^%s") do t = t - 1 end
  local env = xml_close_before(s, j, t, prefix, "Envelope")
  if env == nil then fail_at(s, n + 1, n, "'</" .. prefix .. "Envelope>'") end
  local bs, bempty = xml_start_tag(s, j, n, prefix, "Body")
  if bs == nil then
    m.body_s, m.body_e = j, j
    if xml_misc(s, j, n) ~= env then fail_at(s, j, n, "'<" .. prefix .. "Body>' or '</" .. prefix .. "Envelope>'") end
    return
  end
  if bempty then
    m.body_s, m.body_e = bs, bs
    return
  end
  local bt = env
  while bt > bs and find(sub(s, bt - 1, bt - 1), "^%s") do bt = bt - 1 end
  local be = xml_close_before(s, bs, bt, prefix, "Body")
  if be == nil then fail_at(s, bt, n, "'</" .. prefix .. "Body>'") end
  m.body_s, m.body_e = bs, be
  if be > bs and first_value(m, ID.Command) == "sow" then xml_records(s, bs, be - 1, m) end
end
`;
