/** The --help texts. */

export const MAIN_HELP = `amps-wire: decode and encode AMPS wire traffic

Usage:
  amps-wire decode FILE...   decode captured traffic (pcap, pcapng, raw frames, - for stdin)
  amps-wire encode JSON      build a frame from a JSON description
  amps-wire bench [FILE]     measure decoding throughput on your own traffic
  amps-wire help COMMAND     help on one command (or: amps-wire COMMAND --help)
  amps-wire --version

Exit codes: 0 decoded, 1 decode errors found, 2 bad usage or unreadable file.
`;

export const DECODE_HELP = `Usage: amps-wire decode FILE... [options]

Decodes AMPS frames from captures and streams. FILE is a pcap or pcapng capture (told by its
magic number), a raw stream of length-prefixed frames (e.g. a .bin file), or - for stdin.
Captures are reassembled per TCP direction; each direction is a "conn" such as
10.0.0.1:51000->10.0.0.2:9007, its frames numbered from 0.

Options:
  -f, --format human|jsonl    output format (default human). jsonl writes exactly one JSON
                              object per frame on stdout and nothing else:
                              {"conn","index","protocol","frameLength","fields",
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
      --command CMD[,CMD]     show only frames with these commands (repeatable)
      --topic PATTERN         show only frames whose topic matches (* matches anything;
                              repeatable)
      --conn TEXT             show only directions whose conn contains TEXT (e.g. :9007)
                              (frames that fail to decode or are truncated pass --command
                              and --topic: there is nothing to match them on)
      --max-frame-length N    largest frame accepted (default 64M)
  -q, --quiet                 no notices, warnings or summary on stderr
      --no-color              no colour (colour is used only when stdout is a terminal and
                              NO_COLOR is not set)
  -h, --help                  this help

A connection that does not open with an AMPS frame (other TCP traffic in the capture) is
skipped with a notice. A connection already open when the capture started is decoded from the
first frame boundary that can be proven; a gap (bytes the capture missed) drops the frame it
breaks and decoding resumes at the next proven boundary.

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
"bodyBase64", "protocol"}) is also a description, so decoded traffic can be re-encoded.

Options:
  -p, --protocol NAME     amps (default), json, fix, nvfix or xml (a description's own
                          "protocol" is used when this is not given)
      --data TEXT         the body
      --data-file FILE    the body, from a file
      --payload           write the payload only, without the length prefix
      --hex               write hex text, one frame per line (the default when stdout is a
                          terminal)
  -o, --output FILE       write to FILE instead of stdout
  -h, --help              this help

Exit codes: 0 written, 2 bad usage, a description that cannot be encoded, or an unreadable file.

Examples:
  amps-wire encode '{"Command":"publish","Topic":"orders"}' --data '{"id":1}' > publish.bin
  amps-wire encode '{"c":"sow","t":"orders","query_id":"q1"}' --protocol xml --hex
  amps-wire decode old.pcap --format jsonl | amps-wire encode - > replay.bin
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
  -n, --passes N          passes to run (default 5); each pass repeats a small input until it
                          has taken at least 200 ms
      --size SIZE         size of the synthetic capture (default 32M)
      --json              print the figures as one JSON object
  -h, --help              this help

Inputs up to 32 MiB are read into memory once, so the figures leave out the disk; larger ones
are streamed from the file on every pass.
`;
