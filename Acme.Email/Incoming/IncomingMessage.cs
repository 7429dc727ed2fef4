namespace Acme.Email.Incoming;

/// <summary>A raw incoming email (a candidate challenge response), exactly as stored by the mailbox.</summary>
/// <param name="SourceId">Stable unique id: <c>imap:&lt;uidvalidity&gt;:&lt;uid&gt;</c> or <c>file:&lt;name&gt;</c>.</param>
/// <param name="RawBytes">The message bytes, unmodified (DKIM is verified over these).</param>
/// <param name="ReceivedAt">When the mailbox received it (IMAP INTERNALDATE or the file time).</param>
public sealed record IncomingMessage(string SourceId, byte[] RawBytes, DateTimeOffset ReceivedAt);
