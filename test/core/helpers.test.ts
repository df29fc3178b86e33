import { describe, expect, it } from 'vitest';
import {
  AMPSException,
  AckType,
  Bookmarks,
  Command,
  CommandException,
  MessageTypeException,
  Options,
  StreamException,
  VersionInfo,
  convertVersionToNumber,
  formatAckTypes,
  parseAckTypes,
  protocol,
  amps,
  json,
} from '../../src/index.js';
import { text } from '../helpers/fixtures.js';

describe('Command', () => {
  it('builds a publish by chaining', () => {
    const c = new Command('publish').setTopic('orders').setCommandId('7').addAckType('processed').setData('{"a":1}');
    expect(text(amps.encode(c))).toBe('{"c":"publish","t":"orders","cid":"7","a":"processed"}{"a":1}');
  });

  it('adds, sets and reads ack types', () => {
    const c = new Command('subscribe').addAckType('completed').addAckType(AckType.Processed).addAckType('processed');
    expect(c.getAckType()).toBe('processed,completed');
    expect(c.getAckTypeEnum()).toBe(AckType.Processed | AckType.Completed);
    c.setAckType('received');
    expect(c.getAckType()).toBe('received');
    c.setAckTypeEnum(AckType.Stats | AckType.Persisted);
    expect(c.getAckType()).toBe('persisted,stats');
    expect(() => c.addAckType('bogus')).toThrow(CommandException);
    expect(() => c.setAckType(64)).toThrow(CommandException);
  });

  it('resets to a new command and keeps the timeout out of the wire', () => {
    const c = new Command('sow').setTopic('t').setTimeout(500);
    expect(c.getTimeout()).toBe(500);
    expect(text(amps.encode(c))).toBe('{"c":"sow","t":"t"}');
    c.reset('unsubscribe');
    expect(c.toObject()).toEqual({ Command: 'unsubscribe', data: new Uint8Array(0) });
    expect(c.getTimeout()).toBe(0);
    expect(() => c.setTimeout(-1)).toThrow(CommandException);
  });
});

describe('ack types', () => {
  it('parses and formats the comma-separated form', () => {
    expect(parseAckTypes('processed, completed')).toBe(AckType.Processed | AckType.Completed);
    expect(parseAckTypes('none')).toBe(AckType.None);
    expect(parseAckTypes('')).toBe(0);
    expect(formatAckTypes(0)).toBe('none');
    expect(formatAckTypes(AckType.Stats | AckType.Received | AckType.Parsed)).toBe('received,parsed,stats');
    expect(() => parseAckTypes('processed,nope')).toThrow(CommandException);
  });
});

describe('Options', () => {
  it('joins options in the order set, names bare and name=value', () => {
    const o = new Options().setOOF().setTopN(10).setConflation('5s').setLive().setReplace().setTopN(20);
    expect(o.toString()).toBe('oof,conflation=5s,live,replace,top_n=20');
    expect(
      new Options()
        .setCancel()
        .setConflationKey('/id')
        .setFullyDurable()
        .setGrouping('/a')
        .setMaxBacklog(3)
        .setNoEmpties()
        .setNoSowKey()
        .setPause()
        .setProjection('[/a]')
        .setRate('2x')
        .setRateMaxGap('1s')
        .setResume()
        .setSendKeys()
        .setSkipN(4)
        .setTimestamp()
        .toString(),
    ).toBe(
      'cancel,conflation_key=/id,fully_durable,grouping=/a,max_backlog=3,no_empties,no_sowkey,pause,projection=[/a],rate=2x,rate_max_gap=1s,resume,send_keys,skip_n=4,timestamp',
    );
    expect(new Options().setOOF().setNone().toString()).toBe('');
  });
});

describe('versions and bookmarks', () => {
  it('converts versions with two digits per part, clamped to 99', () => {
    expect(convertVersionToNumber('4.0')).toBe(4000000);
    expect(convertVersionToNumber('3.8.1.7')).toBe(3080107);
    expect(convertVersionToNumber('5.3.100.250')).toBe(5039999);
    expect(convertVersionToNumber('develop')).toBe(0);
    const v = new VersionInfo('5.3.3.0');
    expect(v.getVersionString()).toBe('5.3.3.0');
    expect(v.getOldStyleVersion()).toBe(5030300);
    expect(v.getVersionNumber()).toBe(500030000300000);
    v.setVersion('6.1');
    expect(v.getVersionNumber()).toBe(600010000000000);
  });

  it('names the special bookmarks', () => {
    expect(Bookmarks).toEqual({ EPOCH: '0', NOW: '0|1|', MOST_RECENT: 'recent' });
  });
});

describe('errors and protocol lookup', () => {
  it('have stable codes and a common base', () => {
    const s = new StreamException('expected x', 'AMPS_BAD_JSON', 17, 'amps');
    expect(s).toBeInstanceOf(AMPSException);
    expect(s).toBeInstanceOf(Error);
    expect([s.name, s.code, s.offset, s.protocol, s.message]).toEqual([
      'StreamException',
      'AMPS_BAD_JSON',
      17,
      'amps',
      'amps: expected x at byte 17',
    ]);
    expect(new CommandException('x').code).toBe('AMPS_INVALID_ARGUMENT');
  });

  it('finds protocols by name', () => {
    expect(protocol('amps')).toBe(amps);
    expect(protocol('json')).toBe(json);
    expect(json.name).toBe('json');
    expect(() => protocol('yaml')).toThrow(MessageTypeException);
  });
});
