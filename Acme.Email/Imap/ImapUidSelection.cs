namespace Acme.Email.Imap;

/// <summary>Pure UID arithmetic of the reader.</summary>
internal static class ImapUidSelection
{
    /// <summary>
    /// The UIDs above <paramref name="lastUid"/>, ascending, at most <paramref name="max"/>. A search for
    /// <c>n:*</c> also returns the highest UID when it is below n (RFC 9051 §6.4.8), hence the filter.
    /// </summary>
    public static (IReadOnlyList<uint> Uids, bool More) Select(IEnumerable<uint> found, uint lastUid, int max)
    {
        var newer = found.Where(u => u > lastUid).Distinct().Order().ToList();
        return newer.Count > max ? (newer.Take(max).ToList(), true) : (newer, false);
    }
}
