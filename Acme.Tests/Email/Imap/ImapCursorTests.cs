using Acme.Email.Imap;

namespace Acme.Tests.Email.Imap;

[TestFixture]
public sealed class ImapCursorTests
{
    [Test]
    public void ForUidValidity_Same_KeepsCursor()
    {
        var cursor = new ImapCursor(77, 12);

        Assert.That(cursor.ForUidValidity(77), Is.SameAs(cursor));
    }

    [Test]
    public void ForUidValidity_Changed_RestartsAtZero()
    {
        Assert.That(new ImapCursor(77, 12).ForUidValidity(78), Is.EqualTo(new ImapCursor(78, 0)));
    }

    [Test]
    public void ForUidValidity_FromStart_AdoptsServerValidity()
    {
        Assert.That(ImapCursor.Start.ForUidValidity(5), Is.EqualTo(new ImapCursor(5, 0)));
    }

    [Test]
    public void Select_StarRangeQuirk_HighestUidBelowCursorIsDropped()
    {
        // RFC 9051 §6.4.8: "8:*" matches UID 5 when 5 is the highest UID.
        var (uids, more) = ImapUidSelection.Select([5], 7, 10);

        Assert.That(uids, Is.Empty);
        Assert.That(more, Is.False);
    }

    [Test]
    public void Select_Unordered_ReturnsAscendingNewerOnly()
    {
        var (uids, more) = ImapUidSelection.Select([9, 3, 8, 7, 9, 12], 7, 10);

        Assert.That(uids, Is.EqualTo(new uint[] { 8, 9, 12 }));
        Assert.That(more, Is.False);
    }

    [Test]
    public void Select_MoreThanMax_CutsLowestFirstAndReportsMore()
    {
        var (uids, more) = ImapUidSelection.Select([4, 1, 3, 2], 0, 2);

        Assert.That(uids, Is.EqualTo(new uint[] { 1, 2 }));
        Assert.That(more, Is.True);
    }
}
