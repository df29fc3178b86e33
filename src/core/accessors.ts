// Generated from FIELDS by test/core/accessors.test.ts (UPDATE_ACCESSORS=1 npx vitest run test/core/accessors.test.ts).
// Do not edit by hand: change src/core/fields.ts and regenerate.
import type { FieldValue } from './message.js';

/**
 * A named getter and setter for every header field, and for the seed client's other names of
 * it. Getters return the same as `get(field)`, except `getSequence()`, which returns a bigint.
 */
export interface MessageAccessors {
  /** The Command header field; undefined when absent. */
  getCommand(): string | undefined;
  /** Sets the Command header field; undefined clears it. */
  setCommand(value: FieldValue): this;
  /** The CommandId header field; undefined when absent. */
  getCommandId(): string | undefined;
  /** Sets the CommandId header field; undefined clears it. */
  setCommandId(value: FieldValue): this;
  /** The ClientName header field; undefined when absent. */
  getClientName(): string | undefined;
  /** Sets the ClientName header field; undefined clears it. */
  setClientName(value: FieldValue): this;
  /** The UserId header field; undefined when absent. */
  getUserId(): string | undefined;
  /** Sets the UserId header field; undefined clears it. */
  setUserId(value: FieldValue): this;
  /** The Timestamp header field; undefined when absent. */
  getTimestamp(): string | undefined;
  /** Sets the Timestamp header field; undefined clears it. */
  setTimestamp(value: FieldValue): this;
  /** The Timestamp header field (another name of Timestamp); undefined when absent. */
  getTransmissionTime(): string | undefined;
  /** Sets the Timestamp header field (another name of Timestamp); undefined clears it. */
  setTransmissionTime(value: FieldValue): this;
  /** The Topic header field; undefined when absent. */
  getTopic(): string | undefined;
  /** Sets the Topic header field; undefined clears it. */
  setTopic(value: FieldValue): this;
  /** The Filter header field; undefined when absent. */
  getFilter(): string | undefined;
  /** Sets the Filter header field; undefined clears it. */
  setFilter(value: FieldValue): this;
  /** The MessageType header field; undefined when absent. */
  getMessageType(): string | undefined;
  /** Sets the MessageType header field; undefined clears it. */
  setMessageType(value: FieldValue): this;
  /** The AckType header field; undefined when absent. */
  getAckType(): string | undefined;
  /** Sets the AckType header field; undefined clears it. */
  setAckType(value: FieldValue): this;
  /** The SubscriptionId header field; undefined when absent. */
  getSubscriptionId(): string | undefined;
  /** Sets the SubscriptionId header field; undefined clears it. */
  setSubscriptionId(value: FieldValue): this;
  /** The SubscriptionId header field (another name of SubscriptionId); undefined when absent. */
  getSubId(): string | undefined;
  /** Sets the SubscriptionId header field (another name of SubscriptionId); undefined clears it. */
  setSubId(value: FieldValue): this;
  /** The Version header field; undefined when absent. */
  getVersion(): string | undefined;
  /** Sets the Version header field; undefined clears it. */
  setVersion(value: FieldValue): this;
  /** The Expiration header field; undefined when absent. */
  getExpiration(): string | undefined;
  /** Sets the Expiration header field; undefined clears it. */
  setExpiration(value: FieldValue): this;
  /** The SendSubscriptionIds header field; undefined when absent. */
  getSendSubscriptionIds(): string | undefined;
  /** Sets the SendSubscriptionIds header field; undefined clears it. */
  setSendSubscriptionIds(value: FieldValue): this;
  /** The DataOnly header field; undefined when absent. */
  getDataOnly(): string | undefined;
  /** Sets the DataOnly header field; undefined clears it. */
  setDataOnly(value: FieldValue): this;
  /** The Heartbeat header field; undefined when absent. */
  getHeartbeat(): string | undefined;
  /** Sets the Heartbeat header field; undefined clears it. */
  setHeartbeat(value: FieldValue): this;
  /** The TimeoutInterval header field; undefined when absent. */
  getTimeoutInterval(): string | undefined;
  /** Sets the TimeoutInterval header field; undefined clears it. */
  setTimeoutInterval(value: FieldValue): this;
  /** The LeasePeriod header field; undefined when absent. */
  getLeasePeriod(): string | undefined;
  /** Sets the LeasePeriod header field; undefined clears it. */
  setLeasePeriod(value: FieldValue): this;
  /** The GracePeriod header field; undefined when absent. */
  getGracePeriod(): string | undefined;
  /** Sets the GracePeriod header field; undefined clears it. */
  setGracePeriod(value: FieldValue): this;
  /** The Status header field; undefined when absent. */
  getStatus(): string | undefined;
  /** Sets the Status header field; undefined clears it. */
  setStatus(value: FieldValue): this;
  /** The QueryID header field; undefined when absent. */
  getQueryID(): string | undefined;
  /** Sets the QueryID header field; undefined clears it. */
  setQueryID(value: FieldValue): this;
  /** The QueryID header field (another name of QueryID); undefined when absent. */
  getQueryId(): string | undefined;
  /** Sets the QueryID header field (another name of QueryID); undefined clears it. */
  setQueryId(value: FieldValue): this;
  /** The SendOutOfFocus header field; undefined when absent. */
  getSendOutOfFocus(): string | undefined;
  /** Sets the SendOutOfFocus header field; undefined clears it. */
  setSendOutOfFocus(value: FieldValue): this;
  /** The LogLevel header field; undefined when absent. */
  getLogLevel(): string | undefined;
  /** Sets the LogLevel header field; undefined clears it. */
  setLogLevel(value: FieldValue): this;
  /** The UseNamespaces header field; undefined when absent. */
  getUseNamespaces(): string | undefined;
  /** Sets the UseNamespaces header field; undefined clears it. */
  setUseNamespaces(value: FieldValue): this;
  /** The BatchSize header field; undefined when absent. */
  getBatchSize(): string | undefined;
  /** Sets the BatchSize header field; undefined clears it. */
  setBatchSize(value: FieldValue): this;
  /** The TopN header field; undefined when absent. */
  getTopN(): string | undefined;
  /** Sets the TopN header field; undefined clears it. */
  setTopN(value: FieldValue): this;
  /** The TopN header field (another name of TopN); undefined when absent. */
  getTopNRecordsReturned(): string | undefined;
  /** Sets the TopN header field (another name of TopN); undefined clears it. */
  setTopNRecordsReturned(value: FieldValue): this;
  /** The OrderBy header field; undefined when absent. */
  getOrderBy(): string | undefined;
  /** Sets the OrderBy header field; undefined clears it. */
  setOrderBy(value: FieldValue): this;
  /** The SendEmpty header field; undefined when absent. */
  getSendEmpty(): string | undefined;
  /** Sets the SendEmpty header field; undefined clears it. */
  setSendEmpty(value: FieldValue): this;
  /** The MaximumMessages header field; undefined when absent. */
  getMaximumMessages(): string | undefined;
  /** Sets the MaximumMessages header field; undefined clears it. */
  setMaximumMessages(value: FieldValue): this;
  /** The SowKeys header field; undefined when absent. */
  getSowKeys(): string | undefined;
  /** Sets the SowKeys header field; undefined clears it. */
  setSowKeys(value: FieldValue): this;
  /** The SendKeys header field; undefined when absent. */
  getSendKeys(): string | undefined;
  /** Sets the SendKeys header field; undefined clears it. */
  setSendKeys(value: FieldValue): this;
  /** The Src header field; undefined when absent. */
  getSrc(): string | undefined;
  /** Sets the Src header field; undefined clears it. */
  setSrc(value: FieldValue): this;
  /** The CorrelationId header field; undefined when absent. */
  getCorrelationId(): string | undefined;
  /** Sets the CorrelationId header field; undefined clears it. */
  setCorrelationId(value: FieldValue): this;
  /** The Sequence field as an exact bigint (sequences reach 2^64-1). */
  getSequence(): bigint | undefined;
  /** Sets the Sequence header field; undefined clears it. */
  setSequence(value: FieldValue): this;
  /** The Bookmark header field; undefined when absent. */
  getBookmark(): string | undefined;
  /** Sets the Bookmark header field; undefined clears it. */
  setBookmark(value: FieldValue): this;
  /** The Password header field; undefined when absent. */
  getPassword(): string | undefined;
  /** Sets the Password header field; undefined clears it. */
  setPassword(value: FieldValue): this;
  /** The Options header field; undefined when absent. */
  getOptions(): string | undefined;
  /** Sets the Options header field; undefined clears it. */
  setOptions(value: FieldValue): this;
  /** The RecordsInserted header field; undefined when absent. */
  getRecordsInserted(): string | undefined;
  /** Sets the RecordsInserted header field; undefined clears it. */
  setRecordsInserted(value: FieldValue): this;
  /** The RecordsUpdated header field; undefined when absent. */
  getRecordsUpdated(): string | undefined;
  /** Sets the RecordsUpdated header field; undefined clears it. */
  setRecordsUpdated(value: FieldValue): this;
  /** The RecordsDeleted header field; undefined when absent. */
  getRecordsDeleted(): string | undefined;
  /** Sets the RecordsDeleted header field; undefined clears it. */
  setRecordsDeleted(value: FieldValue): this;
  /** The RecordsDeleted header field (another name of RecordsDeleted); undefined when absent. */
  getSowDelete(): string | undefined;
  /** Sets the RecordsDeleted header field (another name of RecordsDeleted); undefined clears it. */
  setSowDelete(value: FieldValue): this;
  /** The RecordsDeleted header field (another name of RecordsDeleted); undefined when absent. */
  getSowDeleted(): string | undefined;
  /** Sets the RecordsDeleted header field (another name of RecordsDeleted); undefined clears it. */
  setSowDeleted(value: FieldValue): this;
  /** The RecordsReturned header field; undefined when absent. */
  getRecordsReturned(): string | undefined;
  /** Sets the RecordsReturned header field; undefined clears it. */
  setRecordsReturned(value: FieldValue): this;
  /** The TopicMatches header field; undefined when absent. */
  getTopicMatches(): string | undefined;
  /** Sets the TopicMatches header field; undefined clears it. */
  setTopicMatches(value: FieldValue): this;
  /** The Matches header field; undefined when absent. */
  getMatches(): string | undefined;
  /** Sets the Matches header field; undefined clears it. */
  setMatches(value: FieldValue): this;
  /** The MessageLength header field; undefined when absent. */
  getMessageLength(): string | undefined;
  /** Sets the MessageLength header field; undefined clears it. */
  setMessageLength(value: FieldValue): this;
  /** The MessageLength header field (another name of MessageLength); undefined when absent. */
  getMessageSize(): string | undefined;
  /** Sets the MessageLength header field (another name of MessageLength); undefined clears it. */
  setMessageSize(value: FieldValue): this;
  /** The SowKey header field; undefined when absent. */
  getSowKey(): string | undefined;
  /** Sets the SowKey header field; undefined clears it. */
  setSowKey(value: FieldValue): this;
  /** The GroupSequenceNumber header field; undefined when absent. */
  getGroupSequenceNumber(): string | undefined;
  /** Sets the GroupSequenceNumber header field; undefined clears it. */
  setGroupSequenceNumber(value: FieldValue): this;
  /** The GroupSequenceNumber header field (another name of GroupSequenceNumber); undefined when absent. */
  getGroupSeqNo(): string | undefined;
  /** Sets the GroupSequenceNumber header field (another name of GroupSequenceNumber); undefined clears it. */
  setGroupSeqNo(value: FieldValue): this;
  /** The SubscriptionIds header field; undefined when absent. */
  getSubscriptionIds(): string | undefined;
  /** Sets the SubscriptionIds header field; undefined clears it. */
  setSubscriptionIds(value: FieldValue): this;
  /** The SubscriptionIds header field (another name of SubscriptionIds); undefined when absent. */
  getSubIds(): string | undefined;
  /** Sets the SubscriptionIds header field (another name of SubscriptionIds); undefined clears it. */
  setSubIds(value: FieldValue): this;
  /** The Reason header field; undefined when absent. */
  getReason(): string | undefined;
  /** Sets the Reason header field; undefined clears it. */
  setReason(value: FieldValue): this;
  /** The MessageID header field; undefined when absent. */
  getMessageID(): string | undefined;
  /** Sets the MessageID header field; undefined clears it. */
  setMessageID(value: FieldValue): this;
  /** The MessageID header field (another name of MessageID); undefined when absent. */
  getMessageId(): string | undefined;
  /** Sets the MessageID header field (another name of MessageID); undefined clears it. */
  setMessageId(value: FieldValue): this;
  /** The SkipN header field; undefined when absent. */
  getSkipN(): string | undefined;
  /** Sets the SkipN header field; undefined clears it. */
  setSkipN(value: FieldValue): this;
}
