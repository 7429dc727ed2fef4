namespace Acme.Email.Imap;

/// <summary>How far a folder has been read: the host persists it after recording the fetched messages.</summary>
/// <param name="UidValidity">The folder's UIDVALIDITY when <paramref name="LastUid"/> was read (0 = never read).</param>
/// <param name="LastUid">The highest UID already returned.</param>
public sealed record ImapCursor(uint UidValidity, uint LastUid)
{
    /// <summary>The cursor of a folder never read.</summary>
    public static ImapCursor Start { get; } = new(0, 0);

    /// <summary>
    /// This cursor if <paramref name="currentUidValidity"/> matches, else a cursor at the start of the folder
    /// (RFC 9051 §2.3.1.1: old UIDs mean nothing once UIDVALIDITY changes).
    /// </summary>
    /// <param name="currentUidValidity">The UIDVALIDITY the server reports now.</param>
    /// <returns>The cursor to search from.</returns>
    public ImapCursor ForUidValidity(uint currentUidValidity) =>
        currentUidValidity == UidValidity ? this : new ImapCursor(currentUidValidity, 0);
}
