/** The --help texts. */

export const MAIN_HELP = `amps-wire: decode and encode AMPS wire traffic

Usage:
  amps-wire decode FILE...   decode captured traffic (pcap, pcapng, raw frames, - for stdin)
  amps-wire stats FILE...    messages per command and topic, response times, SOW queries
  amps-wire encode JSON      build a frame from a JSON description
  amps-wire bench [FILE]     measure decoding throughput on your own traffic
  amps-wire wireshark        print a Wireshark dissector (Lua) for AMPS
  amps-wire help COMMAND     help on one command (or: amps-wire COMMAND --help)
  amps-wire --version

Exit codes: 0 decoded, 1 decode errors found, 2 bad usage or unreadable file.
`;

/** The filter options, shared by decode and stats. */
export const FILTER_HELP = `      --command CMD[,CMD]     only frames with these commands (repeatable; p means
                              publish; a name that is no AMPS command is an error)
      --topic PATTERN         only frames whose topic matches (* matches anything;
                              repeatable)
      --field NAME=PATTERN    only frames whose header field NAME matches (repeatable: all
                              must match), e.g. --field SubscriptionId=42 --field 'Filter=*qty*'
      --conn TEXT             only directions whose conn contains TEXT (e.g. :9007)
      --since TIME            only frames captured at or after TIME: 2024-01-15T14:30:00.5Z
                              (UTC) or a time of day 14:30:00.5 (on the capture's first day)
      --until TIME            only frames captured before TIME
                              (frames that fail to decode or are truncated pass --command,
                              --topic and --field: there is nothing to match them on)
`;

export const DECODE_HELP = `Usage: amps-wire decode FILE... [options]

Decodes AMPS frames from captures and streams. FILE is a pcap or pcapng capture (told by its
magic number), a raw stream of length-prefixed frames (e.g. a .bin file), or - for stdin.
Captures are reassembled per TCP direction; each direction is a "conn" such as
10.0.0.1:51000->10.0.0.2:9007, its frames numbered from 0.

Options:
  -f, --format human|jsonl    output format (default human). jsonl writes exactly one JSON
                              object per frame on stdout and nothing else:
                              {"conn","index","transport","protocol","frameLength","fields",
                               "bodyLength","body"|"bodyBase64","records"}
                              truncated frames: {"conn","index","truncated":true,
                               "frameLength","bytesPresent"}
                              frames that fail to decode: {"conn","index","protocol",
                               "frameLength","error":{"code","message","offset"}}
  -p, --protocol NAME         auto (default: told per connection from its first frame:
                              "{" amps, digits then "=" fix, "<" xml), amps, json, fix,
                              nvfix or xml
      --port PORT=PROTOCOL    decode connections on this port with this protocol
                              (repeatable; --protocol overrides)
      --no-body               leave bodies out (lengths stay)
  -w, --write FILE            write the frames that pass the filters to FILE instead of
                              showing them: FILE.bin as a raw stream of frames, any other
                              name as a pcap (each connection opening with a handshake, one
                              TCP segment per frame at its capture time), to cut a capture
                              down and share it
${FILTER_HELP}      --max-frame-length N    largest frame accepted (default 64M); also the largest
                              WebSocket message, compressed or inflated
      --keylog FILE           NSS key log (default: the file SSLKEYLOGFILE names): TLS
                              connections whose secrets it holds are decrypted
  -q, --quiet                 no notices, warnings or summary on stderr
      --stats-interval TIME   the summary so far on stderr every TIME (5s, 500ms, 1m) as the
                              input arrives, for long live runs
      --no-color              no colour (colour is used only when stdout is a terminal and
                              NO_COLOR is not set)
  -h, --help                  this help

A connection that does not open with an AMPS frame (other TCP traffic in the capture) is
skipped with a notice. A connection already open when the capture started is decoded from the
first frame boundary that can be proven; a gap (bytes the capture missed) drops the frame it
breaks and decoding resumes at the next proven boundary.

Transports are told per connection from its first bytes: TLS (decrypted with --keylog; TLS 1.2
and 1.3 AES-GCM and ChaCha20-Poly1305 suites), WebSocket (after its HTTP upgrade: the
JavaScript client's framing or binary messages of 4-byte frames, permessage-deflate included),
or 4-byte frames on TCP. Every object carries "transport": tcp, ws, tls or tls/ws; over
WebSocket a frame is one AMPS message (header + body), however many WebSocket messages carried
it. A TLS connection without keys prints nothing but one notice on stderr.

stderr carries notices (a gap in the capture, a connection joined mid-way), warnings (IP
fragments, malformed packets), a progress bar when it is a terminal and stdout is not, and a
summary at the end (frames per protocol and command, SOW records, errors, truncated frames,
gaps).

Exit codes: 0 decoded, 1 decode errors found (frames that failed to decode, impossible
lengths, a corrupt capture), 2 bad usage or unreadable file.

Examples:
  amps-wire decode capture.pcap
  amps-wire decode capture.pcapng --format jsonl --no-body > frames.jsonl
  amps-wire decode capture.pcap --port 9004=nvfix --command publish --topic 'orders*'
  amps-wire encode '{"Command":"publish","Topic":"t"}' --data '{"a":1}' | amps-wire decode -
`;

export const ENCODE_HELP = `Usage: amps-wire encode JSON [options]
       amps-wire encode - [options]          (JSON lines from stdin, one frame each)

Builds a frame (4-byte big-endian length + payload) from a JSON description and writes it to
stdout. The description names header fields as in docs/wire-format.md section 6 ("Command", "Topic",
"CommandId", "Sequence", ...; the amps/json keys "c", "t", "cid", ... work too), with string,
integer or boolean values (give integers above 2^53 as strings). "data" (text) or
"dataBase64" set the body. A line of decode --format jsonl output ({"fields", "body" or
"bodyBase64", "protocol"}) is also a description, so decoded traffic can be re-encoded,
SOW batches ("records") included: records are written in the target protocol's layout, each
with its MessageLength set to its body's length.

With -, lines are read and written one at a time. A line that cannot be encoded (not JSON, an
unknown field, a frame that failed to decode) is skipped with a message on stderr, and the rest
go on (exit 1 at the end). One output holds one connection direction, as decoded: lines of a
second "conn" are left out (with a notice) unless --conn picks or --split separates them.

Options:
  -p, --protocol NAME     amps (default), json, fix, nvfix or xml (a description's own
                          "protocol" is used when this is not given)
      --data TEXT         the body
      --data-file FILE    the body, from a file
      --payload           write the payload only, without the length prefix
      --hex               write hex text, one frame per line (the default when stdout is a
                          terminal)
  -o, --output FILE       write to FILE instead of stdout
      --conn TEXT         with -: only lines whose "conn" contains TEXT (e.g. the client's
                          side, 10.0.0.1:51000->)
      --split DIR         with -: one file per "conn" and protocol in DIR, named like
                          10.0.0.1_51000-10.0.0.2_9007.amps.bin (stdin.amps.bin for lines
                          without a conn)
  -h, --help              this help

Exit codes: 0 written, 1 lines skipped (with -), 2 bad usage, a description that cannot be
encoded, or an unreadable file.

Examples:
  amps-wire encode '{"Command":"publish","Topic":"orders"}' --data '{"id":1}' > publish.bin
  amps-wire encode '{"c":"sow","t":"orders","query_id":"q1"}' --protocol xml --hex
  amps-wire decode old.pcap --format jsonl --conn '50112->' | amps-wire encode - > replay.bin
  amps-wire decode old.pcap --format jsonl | amps-wire encode - --split replay/
`;

export const BENCH_HELP = `Usage: amps-wire bench [FILE] [options]

Measures how fast amps-wire decodes your own traffic: FILE (a pcap or pcapng capture, or a raw
stream of frames) goes through the whole pipeline (capture reading, TCP reassembly, framing,
decoding, every header field read, bodies and SOW records touched), with no output. Without
FILE, a synthetic capture of mixed amps/json, fix and xml traffic is generated in memory.

Reports the best of several passes: end-to-end MB/s of input and frames/s, and per protocol
the frames, payload bytes and decode throughput.

Options:
  -p, --protocol NAME     as for decode (default auto)
      --port PORT=PROTOCOL
      --keylog FILE       as for decode: secrets for TLS captures
  -n, --passes N          passes to run (default 5); each pass repeats a small input until it
                          has taken at least 200 ms
      --size SIZE         size of the synthetic capture (default 32M)
      --json              print the figures as one JSON object
  -h, --help              this help

Inputs up to 32 MiB are read into memory once, so the figures leave out the disk; larger ones
are streamed from the file on every pass.
`;

export const STATS_HELP = `Usage: amps-wire stats FILE... [options]

Reads the same inputs as decode and reports what an analyst asks of a capture:
  - messages per command (both directions)
  - per topic: published (publish, delta_publish sent to the server), delivered (publish, oof
    sent to clients) and body bytes
  - response times from each command sent with a CommandId to each ack carrying it, by
    (command, ack type): count, min, p50, p90, p99, max in ms of capture time
  - commands whose requested ack types (AckType) did not all come
  - SOW queries (sow, sow_and_subscribe, sow_and_delta_subscribe): records and batches, time to
    the first record and to group_end (or the completed ack)
The server side of a connection is the one that answered the SYN, or, in a capture joined
mid-way, the one that sends acks.

Percentiles come from a histogram of fixed size (memory does not grow with the capture): each
is within 0.8 % of a response time at that rank. Min and max are exact.

Options:
      --json                  exactly one JSON object on stdout (see API.md)
      --html FILE             also write a page (one file, no network) with a histogram of
                              response times per (command, ack type) and messages per second
                              per topic
${FILTER_HELP}                              (filters pick the messages counted and the commands followed;
                              the acks, batches and groups answering a followed command are
                              always matched)
  -p, --protocol NAME         as for decode (default auto)
      --port PORT=PROTOCOL    as for decode
      --max-frame-length N    as for decode
      --keylog FILE           as for decode: TLS connections whose secrets it holds are read
  -q, --quiet                 no notices or problem counts on stderr
  -h, --help                  this help

Exit codes: 0 read, 1 decode problems found, 2 bad usage or unreadable file.

Examples:
  amps-wire stats capture.pcap
  amps-wire stats capture.pcap --json | jq .responses
  amps-wire stats capture.pcap --conn :9007 --html report.html
`;
